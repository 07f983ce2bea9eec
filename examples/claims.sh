#!/usr/bin/env bash
# Figures published about the fictional conflict of the example lists, each attributed to a
# fictional source: the demo enters them as claims (scripts/demo.sh).
#   examples/claims.sh PATH/TO/reckon PROJECT
set -euo pipefail
R=$1
P=$2
src="Ministry of Information of the fictional Republic of Arzania"
"$R" claim add "$P" --source "$src" --date 1992-12-15 --category killed --value 613 --note "613 civilians killed"
"$R" claim add "$P" --source "$src" --date 1992-12-15 --category killed --group women --value 106
"$R" claim add "$P" --source "$src" --date 1992-12-15 --category killed --group children --value 63
"$R" claim add "$P" --source "$src" --date 1992-12-15 --category killed --group elderly --value 70
"$R" claim add "$P" --source "$src" --date 1992-12-15 --category wounded --value 1000
"$R" claim add "$P" --source "$src" --date 1992-12-15 --category hostage --value 1275 --note "1,275 taken hostage"
"$R" claim add "$P" --source "$src" --date 1992-12-15 --category missing --value 150 --note "150 still missing"
"$R" claim add "$P" --source "Committee of Families of the Disappeared (fictional)" --date 1993-02-01 --category disappeared --value 310
