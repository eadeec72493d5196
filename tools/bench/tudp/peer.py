#!/usr/bin/python3
"""Peer for tools/bench/tudp/run.ts: the same grid patches read with Debian's python3-openslide and
encoded with Pillow, timed in one process. Prints one JSON line. Run with /usr/bin/python3."""
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
        for x, y in positions:  # warm OpenSlide's tile cache like the JS side does
            slide.read_region((x, y), 0, (size, size))

        def timed(fn):
            start = time.perf_counter()
            n = 0
            for _ in range(args.passes):
                for x, y in positions:
                    fn(x, y)
                    n += 1
            return n / (time.perf_counter() - start)

        out['rawReadPerSec'] = timed(lambda x, y: slide.read_region((x, y), 0, (size, size)))

        def png(level):
            def run(x, y):
                buf = io.BytesIO()
                slide.read_region((x, y), 0, (size, size)).convert('RGB').save(buf, format='PNG', compress_level=level)
            return run

        out['pngDefaultPerSec'] = timed(png(6))
        out['png1PerSec'] = timed(png(1))

        def jpeg(x, y):
            buf = io.BytesIO()
            slide.read_region((x, y), 0, (size, size)).convert('RGB').save(buf, format='JPEG', quality=90)

        out['jpegPerSec'] = timed(jpeg)
    out['openslidePython'] = openslide.__version__
    out['openslide'] = openslide.__library_version__
    print(json.dumps(out))


if __name__ == '__main__':
    main()
