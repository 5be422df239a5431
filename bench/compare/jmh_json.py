"""Reads a JMH JSON result file: prints one line per (benchmark, params) with the mean score.

usage: python3 jmh_json.py result.json   -> lines "name<TAB>param=value,...<TAB>score<TAB>unit"
"""
import json
import sys

for r in json.load(open(sys.argv[1])):
    params = ",".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
    m = r["primaryMetric"]
    print(f"{r['benchmark'].rsplit('.', 1)[-1]}\t{params}\t{m['score']:.6g}\t{m['scoreUnit']}")
