#!/usr/bin/env bash
exit $status
