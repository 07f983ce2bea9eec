#!/usr/bin/env bash

# estimation: LCMCR speed vs R, model search and dga vs R, calibration
"$1"/bench/bench_estimate
