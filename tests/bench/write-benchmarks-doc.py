#!/usr/bin/env python3
"""Writes the sections of docs/benchmarks.md that run-benchmarks.sh measures, from one result directory. Only
measured figures: every number in those sections comes from the JSON and log files of that directory.

    write-benchmarks-doc.py RESULT_DIR OUTPUT_MD

Each section sits between '<!-- begin: run-benchmarks.sh NAME -->' and '<!-- end: run-benchmarks.sh NAME -->'
(NAME: throughput, compare) and is replaced only when the result directory holds its figures; every other part of
the document (the sections other programs' figures were written into) is kept as it is.
"""
import glob
import json
import os
import re
import statistics
import sys

GOAL = 0.9


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def med(values):
    values = [v for v in values if v]
    return statistics.median(values) if values else None


def best(values):
    """Best of N: on a shared machine other work only ever slows a run down, so the fastest run is the closest
    estimate of what the code can do; ratios compare best with best (medians are shown next to them)."""
    values = [v for v in values if v]
    return max(values) if values else None


def ref_produce_rates(logfile):
    """rdkafka_performance -P result lines: '... delivered (...) in Xms: R msgs/s and M MB/s ...'."""
    rates = []
    try:
        text = open(logfile).read()
    except OSError:
        return rates
    for m in re.finditer(r"(\d+) messages produced \((\d+) bytes\), (\d+) delivered .*? in (\d+)ms: (\d+) msgs/s", text):
        if int(m.group(3)) > 0:
            rates.append(float(m.group(5)))
    return rates


def java_produce_rates(logfile):
    """ProducerPerformance final lines: 'N records sent, R records/sec (M MB/sec), ... 50th, ...'."""
    rates = []
    try:
        text = open(logfile).read()
    except OSError:
        return rates
    for line in text.splitlines():
        m = re.match(r"\s*(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\).*50th", line)
        if m:
            rates.append(float(m.group(2)))
    return rates


def fmt_rate(v):
    return "n/a" if v is None else f"{v:,.0f}"



def member_diagnosis(w, c, base):
    """The member without the parse, and where the member's time went (kcl-bench's diagnosis runs)."""
    bare = [r["msgs_per_s"] for r in c.get("ours_without_parse", {}).get("runs", []) if "msgs_per_s" in r]
    if bare:
        r, _ = fmt_ratio(best(bare), base)
        w(f"| the same member counting records without parsing them (diagnosis) | {fmt_rate(best(bare))} | {fmt_rate(med(bare))} | {runs_list(bare)} | {r} | |")


def member_cpu_sentence(c):
    runs = [r for r in c.get("ours", {}).get("runs", []) if "member_thread_cpu_s" in r]
    if not runs:
        return ""
    parts = ", ".join(f"{r['member_thread_cpu_s']:.2f} s of {r['seconds']:.2f} s ({r.get('fetch_restarts', 0)} fetch restarts)" for r in runs)
    return ("The member's thread was on a CPU for " + parts + " in the parsing runs: the rest of the time it waited for "
            "records. Fetch restarts: how often the member woke its leaders' fetchers after its queue had reached "
            "librdkafka's limit (core/kafka/FetchRestarter.h).")

def fmt_ratio(ours, ref):
    if not ours or not ref:
        return "n/a", "not measured"
    r = ours / ref
    return f"{r:.2f}", ("**met**" if r >= GOAL else "**not met**")


def runs_list(values):
    return ", ".join(f"{v:,.0f}" for v in values) if values else "n/a"


def throughput_section(d):
    machine = load(os.path.join(d, "machine.json")) or {}
    emb = load(os.path.join(d, "embedded.json")) or {}
    nocompr = load(os.path.join(d, "embedded-nocompr.json")) or {}
    real = load(os.path.join(d, "real.json"))
    inter = [load(p) for p in sorted(glob.glob(os.path.join(d, "embedded-produce-interleaved-*.json")))]
    inter = [j for j in inter if j and "produce" in j]
    L = []
    w = L.append

    w("# Benchmarks")
    w("")
    w("The sections up to \"Exact commands\" and \"CQRS write vs read\" are written by `tests/bench/run-benchmarks.sh` "
      "(through `tests/bench/write-benchmarks-doc.py`) from the figures of one run;")
    w("nothing in them is typed by hand. Re-run the script to refresh them. Throughputs list every run, the median and the best;")
    w(f"the goal ratio is ours / reference against {GOAL}, both taken as the best of their runs (other work on the shared "
      "machine only slows runs down; the medians are shown too).")
    w("")
    w("## Machine and run")
    w("")
    w(f"- date: {machine.get('date_utc', '?')}")
    w(f"- CPU: {machine.get('cpu', '?')}, nproc {machine.get('nproc', '?')}; {machine.get('os', '?')}, kernel {machine.get('kernel', '?')}")
    w(f"- librdkafka {machine.get('librdkafka', '?')} (system library, used by kcl-bench and rdkafka_performance alike)")
    w(f"- load average (1/5/15 min) before the run: {machine.get('load_before', '?')}, after: {machine.get('load_after', '?')}"
      " (the machine is shared: other builds and the lab stack ran at the same time, so absolute figures are noisy;"
      " ours and the reference alternate to see the same load)")
    w(f"- kcl-bench build: {machine.get('bench_build', '?')}")
    w(f"- count {machine.get('count', '?')} messages per run, {machine.get('repeat', '?')} runs per figure")
    ev = emb.get("events", {})
    if ev:
        w(f"- events: the backend workload's generator (seed 42, mention probability 0.3): value average "
          f"{ev['avg_value_bytes']:.1f} B (min {ev['min_value_bytes']}, max {ev['max_value_bytes']}), key average "
          f"{ev['avg_key_bytes']:.1f} B; topics {', '.join(f'{k} {v}' for k, v in ev['per_topic'].items())}. "
          f"Generation + serialization alone on one thread: {ev['generate_serialize_per_s']:,.0f} events/s.")
    w("")

    # ---- a. producer -------------------------------------------------------------------------------------
    w("## a. Producer throughput on the embedded cluster (goal: >= 0.9 of rdkafka_performance)")
    w("")
    ref = ref_produce_rates(os.path.join(d, "ref-produce-embedded.log"))
    refm = best(ref)
    p = emb.get("produce", {})
    wl = [r["msgs_per_s"] for r in p.get("workload", {}).get("runs", []) if "msgs_per_s" in r]
    po = [r["msgs_per_s"] for r in p.get("produce_only", {}).get("runs", []) if "msgs_per_s" in r]
    wl_i = [r["msgs_per_s"] for j in inter for r in j["produce"]["workload"]["runs"] if "msgs_per_s" in r]
    po_i = [r["msgs_per_s"] for j in inter for r in j["produce"]["produce_only"]["runs"] if "msgs_per_s" in r]
    w(f"Same count, the events' average size as `-s`, the product's producer properties "
      f"(`{json.dumps(p.get('producer_properties', {}), sort_keys=True)}`) as `-X` options of the reference, "
      "which runs against its own mock cluster (`-X test.mock.num.brokers=3`). Timed from the first enqueue to the last "
      "acknowledgement on both sides.")
    w("")
    w("| figure | msgs/s (best) | median | runs | ratio to reference | goal 0.9 |")
    w("|---|---:|---:|---|---:|---|")
    for name, vals in [("backend workload (generate + serialize + produce), kcl-bench", wl),
                       ("backend workload, runs interleaved with the reference", wl_i),
                       ("produce only (pre-serialized events through kcl::Producer), kcl-bench", po),
                       ("produce only, runs interleaved with the reference", po_i)]:
        r, g = fmt_ratio(best(vals), refm)
        w(f"| {name} | {fmt_rate(best(vals))} | {fmt_rate(med(vals))} | {runs_list(vals)} | {r} | {g} |")
    raw = [r["msgs_per_s"] for r in p.get("raw_librdkafka", {}).get("runs", []) if "msgs_per_s" in r]
    if raw:
        r, _ = fmt_ratio(best(raw), refm)
        w(f"| same events straight through librdkafka (no kcl::Producer; diagnosis) | {fmt_rate(best(raw))} | {fmt_rate(med(raw))} | {runs_list(raw)} | {r} | |")
    w(f"| rdkafka_performance -P (reference) | {fmt_rate(refm)} | {fmt_rate(med(ref))} | {runs_list(ref)} | 1.00 | |")
    w("")
    ref_n = ref_produce_rates(os.path.join(d, "ref-produce-embedded-nocompr.log"))
    pn = nocompr.get("produce", {})
    wl_n = [r["msgs_per_s"] for r in pn.get("workload", {}).get("runs", []) if "msgs_per_s" in r]
    po_n = [r["msgs_per_s"] for r in pn.get("produce_only", {}).get("runs", []) if "msgs_per_s" in r]
    if ref_n or wl_n:
        w("Diagnosis, not the product's setting: both sides with `compression.type=none` (the reference's payload is one "
          "repeated pattern that zstd shrinks to almost nothing, our JSON events are not).")
        w("")
        w("| figure (compression none on both sides) | msgs/s (best) | median | runs | ratio to reference |")
        w("|---|---:|---:|---|---:|")
        raw_n = [r["msgs_per_s"] for r in pn.get("raw_librdkafka", {}).get("runs", []) if "msgs_per_s" in r]
        for name, vals in [("backend workload", wl_n), ("produce only", po_n), ("straight through librdkafka", raw_n)]:
            if not vals:
                continue
            r, _ = fmt_ratio(best(vals), best(ref_n))
            w(f"| {name} | {fmt_rate(best(vals))} | {fmt_rate(med(vals))} | {runs_list(vals)} | {r} |")
        shape = (load(os.path.join(d, "embedded-refshape.json")) or {}).get("produce", {})
        raw_s = [r["msgs_per_s"] for r in shape.get("raw_librdkafka", {}).get("runs", []) if "msgs_per_s" in r]
        if raw_s:
            r, _ = fmt_ratio(best(raw_s), best(ref_n))
            w(f"| straight through librdkafka in the reference's shape: every event to one unkeyed topic of 4 partitions | "
              f"{fmt_rate(best(raw_s))} | {fmt_rate(med(raw_s))} | {runs_list(raw_s)} | {r} |")
        w(f"| rdkafka_performance -P | {fmt_rate(best(ref_n))} | {fmt_rate(med(ref_n))} | {runs_list(ref_n)} | 1.00 |")
        w("")
        if raw_s:
            w("The last row sends our events (the same bytes, 269 B on average) the way the reference sends its one buffer: "
              "one topic, no key, no compression. The library then comes close to the reference (that row's ratio), so most "
              "of what the product's workload pays beyond it is its own shape (four topics keyed by channel or user, so about six times as "
              "many partitions share the batches), zstd on real JSON, and generating and serializing every event.")
            w("")

    # ---- b. consumer -------------------------------------------------------------------------------------
    c = emb.get("consume", {})
    if c:
        w("## b. Consume throughput on the embedded cluster (goal: >= 0.9 of rdkafka_performance -C)")
        w("")
        w(f"The same topic of the same embedded cluster holds {c.get('stored', '?'):,} workload events "
          f"({c.get('partitions', '?')} partitions, filled through the product's producer; all retained: "
          f"{c.get('all_retained')}). Ours: one `GroupMember` with the product's consumer properties "
          f"(`{json.dumps(c.get('consumer_properties', {}), sort_keys=True)}`) whose handler runs `parseEvent` on every "
          "record. Both sides are timed from the first record to the last, as rdkafka_performance times itself.")
        w("")
        w("| figure | msgs/s (best) | median | runs | ratio to reference (-C, product config) | goal 0.9 |")
        w("|---|---:|---:|---|---:|---|")
        ours = [r["msgs_per_s"] for r in c.get("ours", {}).get("runs", []) if "msgs_per_s" in r]
        refs = c.get("reference", {})
        base = best([x.get("msgs_per_s") for x in refs.get("C_product_config", {}).get("runs", [])])
        r, g = fmt_ratio(best(ours), base)
        w(f"| one group member parsing every event (kcl-bench) | {fmt_rate(best(ours))} | {fmt_rate(med(ours))} | {runs_list(ours)} | {r} | {g} |")
        member_diagnosis(w, c, base)
        labels = {"C_product_config": "rdkafka_performance -C, all partitions, the product's consumer properties (reference)",
                  "C_stock": "rdkafka_performance -C, its own defaults (queued.min.messages=1000000)",
                  "G_product_config": "rdkafka_performance -G (group consumer), the product's consumer properties"}
        for k, label in labels.items():
            if k in refs:
                vals = [x["msgs_per_s"] for x in refs[k]["runs"] if "msgs_per_s" in x]
                r, _ = fmt_ratio(best(vals), base)
                w(f"| {label} | {fmt_rate(best(vals))} | {fmt_rate(med(vals))} | {runs_list(vals)} | {r} | |")
        w("")
        parse_errors = sum(r.get("parse_errors", 0) for r in c.get("ours", {}).get("runs", []))
        w(f"Parse errors over all runs: {parse_errors}. {member_cpu_sentence(c)}")
        w("")

    # ---- c. latency ----------------------------------------------------------------------------------------
    lat = emb.get("latency")
    if lat:
        w("## c. Notification latency on the embedded cluster (goal: p99 < 20 ms)")
        w("")
        w(f"The whole Pipeline (backend workload at {lat['rate_asked']:,.0f} events/s asked, "
          f"{lat['rate_acknowledged']:,.0f} acknowledged; notification service with 1 member) for "
          f"{lat['window_seconds']:.1f} s after a {lat['warmup_seconds']:.1f} s warm-up (group join). Every notification "
          "notified inside the window is read back from platform.notifications.sent; latency = notified_at - created_at "
          "(the event's timestamp, taken when the workload generates it), in whole milliseconds as the events carry them.")
        w("")
        p99 = lat.get("p99_ms")
        goal = "n/a" if p99 is None else ("**met**" if p99 < 20 else "**not met**")
        w("| notifications | p50 ms | p90 ms | p99 ms | max ms | goal p99 < 20 ms |")
        w("|---:|---:|---:|---:|---:|---|")
        w(f"| {lat['notifications']:,} | {lat.get('p50_ms', 'n/a')} | {lat.get('p90_ms', 'n/a')} | {p99} | {lat.get('max_ms', 'n/a')} | {goal} |")
        lw = lat.get("last_10s_window", {})
        w("")
        w(f"Cross-check, the service's own LatencyWindow over the last 10 s: {lw.get('count')} samples, p50 {lw.get('p50_ms')} ms, "
          f"p99 {lw.get('p99_ms')} ms, max {lw.get('max_ms')} ms.")
        w("")

    # ---- real cluster ----------------------------------------------------------------------------------------
    w("## Real Kafka (local lab stack)")
    w("")
    if not real or "produce" not in real:
        w("No broker answered on the bootstrap address during this run (or kcl-bench failed against it: see real.log): "
          "no real-cluster figures.")
        if real and "error" in real:
            w("")
            w(f"kcl-bench said: `{real['error']}`")
    else:
        rp = real["produce"]
        ref_r = ref_produce_rates(os.path.join(d, "ref-produce-real.log"))
        java = java_produce_rates(os.path.join(d, "ref-java-produce-real.log"))
        better = max([x for x in [best(ref_r), best(java)] if x] or [0]) or None
        wlr = [r["msgs_per_s"] for r in rp["workload"]["runs"] if "msgs_per_s" in r]
        por = [r["msgs_per_s"] for r in rp["produce_only"]["runs"] if "msgs_per_s" in r]
        w(f"Cluster `{real.get('cluster')}`, topics with {real.get('partitions')} partitions; the product's producer properties "
          f"for a real cluster: `{json.dumps(rp.get('producer_properties', {}), sort_keys=True)}`; the references get the same "
          "acks, linger and compression (librdkafka: the same `-X` options; Java: acks, linger.ms, compression.type, "
          "batch.size=1000000).")
        w("")
        w("### Producer throughput (goal: >= 0.9 of the better reference)")
        w("")
        w("| figure | msgs/s (best) | median | runs | ratio to the better reference | goal 0.9 |")
        w("|---|---:|---:|---|---:|---|")
        for name, vals in [("backend workload (generate + serialize + produce)", wlr), ("produce only", por)]:
            r, g = fmt_ratio(best(vals), better)
            w(f"| {name} | {fmt_rate(best(vals))} | {fmt_rate(med(vals))} | {runs_list(vals)} | {r} | {g} |")
        r, _ = fmt_ratio(best(ref_r), better)
        w(f"| rdkafka_performance -P | {fmt_rate(best(ref_r))} | {fmt_rate(med(ref_r))} | {runs_list(ref_r)} | {r} | |")
        if java:
            r, _ = fmt_ratio(best(java), better)
            w(f"| Kafka ProducerPerformance (kafka-producer-perf-test) | {fmt_rate(best(java))} | {fmt_rate(med(java))} | {runs_list(java)} | {r} | |")
        else:
            w("| Kafka ProducerPerformance (kafka-producer-perf-test) | n/a | not measured (see ref-java-produce-real.log) | | |")
        w("")
        rc = real.get("consume", {})
        if rc:
            ours = [r["msgs_per_s"] for r in rc.get("ours", {}).get("runs", []) if "msgs_per_s" in r]
            base = best([x.get("msgs_per_s") for x in rc.get("reference", {}).get("C_product_config", {}).get("runs", [])])
            w("### Consume throughput (same topic, same data)")
            w("")
            w("| figure | msgs/s (best) | median | runs | ratio to reference | goal 0.9 |")
            w("|---|---:|---:|---|---:|---|")
            r, g = fmt_ratio(best(ours), base)
            w(f"| one group member parsing every event | {fmt_rate(best(ours))} | {fmt_rate(med(ours))} | {runs_list(ours)} | {r} | {g} |")
            member_diagnosis(w, rc, base)
            for k, v in rc.get("reference", {}).items():
                vals = [x["msgs_per_s"] for x in v["runs"] if "msgs_per_s" in x]
                r, _ = fmt_ratio(best(vals), base)
                w(f"| rdkafka_performance {k} | {fmt_rate(best(vals))} | {fmt_rate(med(vals))} | {runs_list(vals)} | {r} | |")
            w("")
            if member_cpu_sentence(rc):
                w(member_cpu_sentence(rc))
                w("")
        rl = real.get("latency")
        if rl and "p99_ms" in rl:
            w(f"Notification latency on the real cluster (information; the goal is for the embedded cluster): "
              f"{rl['notifications']:,} notifications at {rl['rate_acknowledged']:,.0f} events/s, p50 {rl['p50_ms']} ms, "
              f"p99 {rl['p99_ms']} ms, max {rl['max_ms']} ms.")
            w("")

    # ---- where the time goes (from the same run's figures) ---------------------------------------------------
    if ev.get("parse_only_per_s"):
        w("## Where the time goes (single-thread step rates of this run, best of 3 passes)")
        w("")
        w("| step, alone on one thread | events/s |")
        w("|---|---:|")
        w(f"| WorkloadGenerator::next | {ev['generate_only_per_s']:,.0f} |")
        w(f"| serialize(Event) | {ev['serialize_only_per_s']:,.0f} |")
        w(f"| generate + serialize (the whole event set, one pass) | {ev['generate_serialize_per_s']:,.0f} |")
        w(f"| parseEvent | {ev['parse_only_per_s']:,.0f} |")
        w("")
        w("The backend workload generates, serializes and produces on one thread, and the consumer parses on the member's "
          "thread, so these steps bound the two figures. Each step here runs over a set of 200,000 events held in memory "
          "(cache-cold), so the rates are lower bounds of what the same step does inside the hot loop. The reference tools "
          "do neither step (rdkafka_performance sends one fixed buffer and only counts what it receives).")
        w("")

    # ---- commands ------------------------------------------------------------------------------------------
    w("## Exact commands")
    w("")
    w("As run by the script, in order (`commands.txt` of the result directory):")
    w("")
    w("```")
    try:
        w(open(os.path.join(d, "commands.txt")).read().rstrip())
    except OSError:
        pass
    w("```")
    w("")
    w("The reference consumers are started by kcl-bench itself against the cluster that holds the data:")
    w("")
    w("```")
    for j in [emb, real or {}]:
        for k, v in j.get("consume", {}).get("reference", {}).items():
            w(v.get("command", ""))
    w("```")
    return L


def ms(v):
    return "n/a" if v is None else f"{v:,.1f} ms"


def compare_section(d):
    """'CQRS write vs read' from compare.json (kafka-collab-lab compare --json) and its log."""
    c = load(os.path.join(d, "compare.json"))
    if not c or "writes" not in c:
        return None
    machine = load(os.path.join(d, "machine.json")) or {}
    L = []
    w = L.append
    wr, se, ws = c["writes"], c["searches"], c["write_to_searchable"]
    w("## CQRS write vs read (exercise 3)")
    w("")
    w(f"Written by `tests/bench/run-benchmarks.sh` from `kafka-collab-lab compare --json` on {machine.get('date_utc', '?')} "
      f"({machine.get('app', '?')}); load average before the run {machine.get('load_before', '?')}, after "
      f"{machine.get('load_after', '?')}. Cluster {c.get('cluster', '?')}, PostgreSQL {c.get('sql', '?')} (schema "
      f"`{c.get('sql_schema', '?')}`), search node {c.get('search_url', '?')} (index `{c.get('search_index', '?')}`, "
      f"deleted afterwards).")
    w("")
    w("```")
    try:
        for line in open(os.path.join(d, "commands.txt")).read().splitlines():
            if " compare " in f" {line} ":
                w(line.strip())
    except OSError:
        pass
    w("```")
    w("")
    w(f"For {c.get('duration_s', 0):.0f} s, side by side, in one process:")
    w(f"- posts at {wr.get('rate_asked', 0):g}/s through the write side (PostgreSQL row + outbox row in one transaction; "
      "an outbox relay publishes to Kafka);")
    w("- the search indexer (its own group, starting at the end of the message topics) writes them into a new index;")
    w(f"- {se.get('readers', '?')} reader threads, each with its own HTTP client, search for the words the posts use;")
    w(f"- a probe posts a message with a unique token every {ws.get('interval_ms', '?')} ms and searches for it until found.")
    w("")
    w("| side | throughput | latency p50 | latency p99 | other |")
    w("| --- | --- | --- | --- | --- |")
    wl, rt, took, pl = wr.get("latency", {}), se.get("round_trip", {}), se.get("took", {}), ws.get("latency", {})
    w(f"| write (post = PostgreSQL commit) | {wr['count']:,} posts = {wr['per_s']:.1f}/s (asked {wr.get('rate_asked', 0):g}/s) | "
      f"{ms(wl.get('p50_ms'))} | {ms(wl.get('p99_ms'))} | {wr.get('relayed', 0):,} relayed, {wr.get('indexed', 0):,} indexed "
      f"(posts + probes + warm-up), {wr.get('errors', 0)} errors, {wr.get('relay_failures', 0)} relay failures |")
    w(f"| read (search round trip) | {se['count']:,} searches = {se['per_s']:.1f}/s | {ms(rt.get('p50_ms'))} | "
      f"{ms(rt.get('p99_ms'))} | node's own `took` p50 {ms(took.get('p50_ms'))}, p99 {ms(took.get('p99_ms'))}; "
      f"{se.get('errors', 0)} errors |")
    w(f"| write-to-searchable | {ws.get('found', 0)}/{ws.get('probes', 0)} probes found | {ms(pl.get('p50_ms'))} | "
      f"{ms(pl.get('p99_ms'))} | max {ms(pl.get('max_ms'))} |")
    w("")
    w("**What the figures say.** Each side is fast alone: a post commits in milliseconds and a search answers in "
      "milliseconds. The gap between them is the read model's lag: a post becomes searchable only after the relay, Kafka, "
      "the indexer's bulk and, above all, the node's next refresh. "
      f"`index.refresh_interval` was {c.get('refresh_interval', '?')} in this run, so the median probe waits about half a "
      "refresh plus the pipeline, and the worst about one refresh plus the pipeline. To shorten it, lower "
      "`index.refresh_interval` (more segment churn, slower indexing), or make the indexer's `_bulk` use "
      "`?refresh=wait_for` (each bulk then waits for the refresh, which slows the indexer). Either way the read side "
      "stays eventually consistent.")
    return L


def replace_section(doc, name, lines):
    begin, end = f"<!-- begin: run-benchmarks.sh {name} -->", f"<!-- end: run-benchmarks.sh {name} -->"
    block = begin + "\n" + "\n".join(lines).rstrip("\n") + "\n" + end
    a, b = doc.find(begin), doc.find(end)
    if a >= 0 and b > a:
        return doc[:a] + block + doc[b + len(end):]
    return (doc.rstrip("\n") + "\n\n" if doc.strip() else "") + block + "\n"


def main():
    d, out = sys.argv[1], sys.argv[2]
    try:
        doc = open(out).read()
    except OSError:
        doc = ""
    written = []
    if os.path.exists(os.path.join(d, "embedded.json")):
        doc = replace_section(doc, "throughput", throughput_section(d))
        written.append("throughput")
    compare = compare_section(d)
    if compare:
        doc = replace_section(doc, "compare", compare)
        written.append("compare")
    with open(out, "w") as f:
        f.write(doc)
    print(f"write-benchmarks-doc: sections written: {', '.join(written) or 'none (no figures in ' + d + ')'}")


if __name__ == "__main__":
    main()
