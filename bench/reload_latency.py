#!/usr/bin/env python3
"""Time from saving a Markdown file to the dev server's reload event (server-sent events)."""
import http.client, statistics, sys, time

path, port, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for _ in range(100):  # wait for the server
    try:
        http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
        break
    except OSError:
        time.sleep(0.1)
original = open(path, encoding="utf-8").read()
samples = []
for i in range(runs * 2):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/_kenshu/events")
    response = connection.getresponse()
    response.readline(); response.readline()  # the opening comment
    time.sleep(0.05)
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(original + f"\n変更 {i}\n")
    while True:
        line = response.readline().decode()
        if line.startswith("event: reload"):
            samples.append((time.perf_counter() - start) * 1000)
            break
    connection.close()
with open(path, "w", encoding="utf-8") as f:
    f.write(original)
print(f"save -> reload event: median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms over {len(samples)} saves (target: < 100 ms)")
