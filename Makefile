# Two entry points, as in the README: `make run` and `make test`.
SWIFT ?= swift
PYTHON := .venv/bin/python

.PHONY: run test setup build generate fuzz bench bench-swift clean

setup:
	@scripts/setup.sh

## The main job. For now: decode the sample ArduPilot telemetry log (the daemon will take over `make run`).
run: setup
	$(SWIFT) build -c release --product furrow
	.build/release/furrow decode SampleData/ardupilot-vtol.tlog --types GLOBAL_POSITION_INT,SYS_STATUS,STATUSTEXT --stats

## Every test: Swift unit tests, then the cross-checks against pymavlink on the built binary.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
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

## package-benchmark suite: in-memory throughput of framer, batcher, CRC and decoding (see Benchmarks/README.md).
bench-swift:
	$(SWIFT) package --package-path Benchmarks benchmark

clean:
	rm -rf .build .build-* .venv Benchmarks/.build Fuzz/.build
