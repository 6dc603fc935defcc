#!/usr/bin/env python3
"""Generates the pushes of N parcels with 8 history entries each, as JSON Lines on stdout.

Each parcel is processed, validated, shipped five times (five scans), then delivered (70%) or
shipped once more (30%, still open). Open parcels moved within the last two days, except about
1,000 that have not moved for ten days (what `parcels --stuck 3d` finds). Pushes come in blocks
of 10,000 parcels, stage by stage, as a day of pushes would interleave them.

    python3 bench/gen-store-pushes.py 1000000 > pushes.jsonl
"""
import datetime
import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
STUCK = min(1000, N // 10)
BLOCK = 10_000
WIB = datetime.timezone(datetime.timedelta(hours=7))
rng = random.Random(17)
now = datetime.datetime.now(WIB).replace(microsecond=0)
stuck_every = max(1, N // STUCK) if STUCK else 0


def fmt(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


out = sys.stdout
for start in range(0, N, BLOCK):
    plans = []
    for i in range(start, min(N, start + BLOCK)):
        stuck = stuck_every and i % stuck_every == 0
        final = not stuck and rng.random() < 0.7
        if stuck:
            base = now - datetime.timedelta(days=10, minutes=rng.randrange(600))
        elif final:
            base = now - datetime.timedelta(days=rng.randrange(2, 60), minutes=rng.randrange(1440))
        else:
            base = now - datetime.timedelta(minutes=rng.randrange(60, 2 * 1440 - 600))
        plans.append((f"OID-{i:010d}", base, final))
    for stage in range(8):
        lines = []
        for oid, base, final in plans:
            at = fmt(base + datetime.timedelta(hours=stage))
            if stage == 0:
                lines.append('{"method":"processed_packages","data":[{"order_id":"%s","awb":"AWB%s","date":"%s"}]}' % (oid, oid[4:], at))
            elif stage == 1:
                lines.append('{"method":"validated_packages","data":[{"order_id":"%s","date":"%s","shipping_cost":18000}]}' % (oid, at))
            elif stage < 7 or not final:
                lines.append('{"method":"shipped_packages","data":[{"order_id":"%s","shipped_at":"%s"}]}' % (oid, at))
            else:
                lines.append('{"method":"finished_packages","data":[{"order_id":"%s","finished_at":"%s"}]}' % (oid, at))
        out.write("\n".join(lines))
        out.write("\n")
