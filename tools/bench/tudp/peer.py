#!/usr/bin/python3
"""Peer for tools/bench/tudp/run.ts: the same grid patches read with Debian's python3-openslide and
encoded with Pillow, timed in one process. Prints one JSON line: for each variant, patches per
wall-clock second and per CPU second (process time: robust when other jobs share the cores).
Run with /usr/bin/python3."""
import argparse
import io
import json
import time

import openslide


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--slide', required=True)
    parser.add_argument('--positions', required=True, help='JSON [[x, y], ...] level-0 px')
    parser.add_argument('--size', type=int, default=512)
    parser.add_argument('--passes', type=int, default=3)
    args = parser.parse_args()
    positions = json.loads(args.positions)
    size = args.size
    out = {}
    with openslide.OpenSlide(args.slide) as slide:
        def timed(name, fn):
            for x, y in positions:  # warm-up pass (tile cache, allocator)
                fn(x, y)
            wall, cpu = time.perf_counter(), time.process_time()
            n = 0
            for _ in range(args.passes):
                for x, y in positions:
                    fn(x, y)
                    n += 1
            out[name] = {'wallPerSec': n / (time.perf_counter() - wall), 'cpuPerSec': n / (time.process_time() - cpu)}

        timed('rawRead', lambda x, y: slide.read_region((x, y), 0, (size, size)))

        def encoder(**kw):
            def run(x, y):
                buf = io.BytesIO()
                slide.read_region((x, y), 0, (size, size)).convert('RGB').save(buf, **kw)
            return run

        timed('png6', encoder(format='PNG', compress_level=6))
        timed('png1', encoder(format='PNG', compress_level=1))
        timed('jpeg90', encoder(format='JPEG', quality=90))
    out['openslidePython'] = openslide.__version__
    out['openslide'] = openslide.__library_version__
    print(json.dumps(out))


if __name__ == '__main__':
    main()
