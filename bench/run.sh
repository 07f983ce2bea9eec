#!/usr/bin/env bash
"$1"/bench/bench_text
