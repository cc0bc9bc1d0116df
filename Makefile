# Two entry points, as in the README: `make run` and `make test`.
SWIFT ?= swift
PYTHON := .venv/bin/python

.PHONY: run test setup build generate fuzz bench bench-swift bench-ingest bench-api bench-upload clean

setup:
	@scripts/setup.sh

## The main job: the ingest daemon with its embedded store (./furrow-data), UDP 14550, health and metrics on
## http://127.0.0.1:8080, and simulated drones sending to it. Ctrl-C stops it (everything is flushed first).
run: setup
	$(SWIFT) build -c release --product furrow
	.build/release/furrow serve --demo

## Every test: Swift unit tests, then the cross-checks against pymavlink on the built binary.
test: setup
	$(SWIFT) build --build-tests
	# One test at a time: the suite's CPU-bound tests (simulated flights, codec sweeps) otherwise hold both
	# cooperative threads for a minute and starve the socket tests' waits (seen: 5 transport tests timing out
	# in a parallel run of 381 on 2 shared cores; the same build passed serially in 238 s).
	$(SWIFT) test --skip-build --no-parallel
	FURROW_BIN=$(CURDIR)/.build/debug/furrow $(PYTHON) -m pytest Tests/CrossCheck -q

build:
	$(SWIFT) build

## Regenerate the MAVLink message tables from the XML shipped with pymavlink.
generate: setup
	$(PYTHON) Scripts/generate_mavlink_tables.py

## libFuzzer over the framer, decoder and tlog reader (see Fuzz/README.md). SECONDS=600 by default.
fuzz:
	Fuzz/run.sh $${SECONDS_TO_RUN:-600}

## Furrow against the official C parser on the same ~100 MB streams (see Benchmarks/harness/README.md).
bench: setup
	$(PYTHON) Benchmarks/harness/run.py --build-furrow

## Sustained UDP ingest: simulated drones into `furrow serve` at rising rates (see Benchmarks/harness/ingest.py).
bench-ingest: setup
	$(PYTHON) Benchmarks/harness/ingest.py --build

## API latency: a 1-day bucketed query of a 50 Hz channel at 200 req/s, alone and while ingesting 50 k msg/s.
bench-api: setup
	$(PYTHON) Benchmarks/harness/api.py --build

## Flight-log import: ~100 MB .bin and .ulg uploaded and imported (parse + store) vs DFReader and pyulog.
bench-upload: setup
	$(PYTHON) Benchmarks/harness/upload.py --build

## package-benchmark suite: in-memory throughput of framer, batcher, CRC and decoding (see Benchmarks/README.md).
bench-swift:
	$(SWIFT) package --package-path Benchmarks benchmark

clean:
	rm -rf .build .build-* .venv Benchmarks/.build Fuzz/.build furrow-data
