"""Reads a JMH JSON result file: prints one line per (benchmark, params) with the median
iteration score (the PyTorch and numpy baselines report their median rep; a mean lets one slow
iteration on a shared machine move the ratio).

usage: python3 jmh_json.py result.json   -> lines "name<TAB>param=value,...<TAB>score<TAB>unit"
"""
import json
import statistics
import sys

for r in json.load(open(sys.argv[1])):
    params = ",".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
    m = r["primaryMetric"]
    score = statistics.median(x for it in m["rawData"] for x in it)
    print(f"{r['benchmark'].rsplit('.', 1)[-1]}\t{params}\t{score:.6g}\t{m['scoreUnit']}")
