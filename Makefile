# Setlist: two commands.
#   make run   builds release and opens the explorer on the default data
#   make test  runs the whole test suite
# Both install missing system packages first.

APT_PACKAGES := libncursesw5-dev libopenblas-dev libsqlite3-dev pkg-config tmux
SWIFT ?= swift

.PHONY: run test lint format deps pydeps build release bench results clean

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# The PyTorch-interop tests read and write safetensors from Python, and gensim reads our word2vec
# export (each skips when its package is missing).
pydeps:
	@python3 -c "import safetensors, numpy" 2>/dev/null || python3 -m pip install -q safetensors numpy || \
	  echo "note: could not install the Python safetensors package; the interop tests will skip"
	@python3 -c "import gensim" 2>/dev/null || timeout 300 python3 -m pip install -q gensim || \
	  echo "note: could not install gensim; the word2vec export interop test will skip"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	$(SWIFT) run -c release setlist explore

# The suite runs on an optimised build with testing enabled, in its own build folder so it does not
# rebuild `make run`'s: the acceptance tests train several models over three seeds each, which takes
# minutes optimised and most of an hour unoptimised. SETLIST_ANN_TEST_COUNT runs HNSW recall on 100k vectors.
TEST_BUILD := --configuration release --scratch-path .build-test -Xswiftc -enable-testing
# OpenBLAS falls back to its SSE3 kernels on virtual machines that report a generic CPU model, which makes
# matrix products several times slower. `setlist` restarts itself with the kernels the CPU supports
# (Tensor's BLASKernel); the test binary gets them here, unless OPENBLAS_CORETYPE is already set.
BLAS_CORETYPE := $(shell if grep -qw avx512bw /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo; \
  then echo SkylakeX; elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then echo Haswell; fi)
test: deps pydeps lint
	$(SWIFT) build --build-tests $(TEST_BUILD)
	$(if $(and $(BLAS_CORETYPE),$(if $(OPENBLAS_CORETYPE),,y)),OPENBLAS_CORETYPE=$(BLAS_CORETYPE)) \
	  SETLIST_ANN_TEST_COUNT=100000 $(SWIFT) test --skip-build $(TEST_BUILD)

# Style is checked, not remembered: .swift-format is the configuration, `make format` applies it.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format:
	$(SWIFT) format format --in-place --parallel --recursive Sources Tests Package.swift

bench: release
	$(SWIFT) run -c release setlist bench all

# The real-data results of Docs/results/README.md, regenerated from the Last.fm JODIE prefix into
# Docs/results/lastfm/: aggregate tables and plots only (metrics, correlations, boxplot summaries),
# never per-row, per-user or per-track data. Each step's wall time goes to timings.txt.
LASTFM ?= ../shared/datasets/lastfm-1k-jodie-prefix.csv
RESULTS := Docs/results/lastfm
# Extra options for `setlist evaluate all` (for example a smaller --hidden for a quick run).
EVALUATE_FLAGS ?=
SETLIST_BIN := .build/release/setlist
results: release
	@test -f "$(LASTFM)" || { echo "make results: $(LASTFM) not found; set LASTFM=path/to/lastfm-1k-jodie-prefix.csv"; exit 1; }
	rm -rf .setlist/lastfm $(RESULTS) && mkdir -p $(RESULTS)
	@step() { name=$$1; shift; start=$$(date +%s); "$$@" || exit 1; echo "$$name: $$(( $$(date +%s) - start )) s" >> $(RESULTS)/timings.txt; }; \
	step import sh -c '$(SETLIST_BIN) import "$(LASTFM)" -w .setlist/lastfm --show-rejected 0 > $(RESULTS)/import.txt' && \
	step embed-40 sh -c '$(SETLIST_BIN) embed -w .setlist/lastfm --dimension 40 > $(RESULTS)/embed.txt' && \
	step embed-80 sh -c '$(SETLIST_BIN) embed -w .setlist/lastfm --dimension 80 >> $(RESULTS)/embed.txt' && \
	step evaluate-all $(SETLIST_BIN) evaluate all -w .setlist/lastfm --output $(RESULTS)/evaluation $(EVALUATE_FLAGS) && \
	step train-fsvae sh -c '$(SETLIST_BIN) train fsvae -w .setlist/lastfm > $(RESULTS)/train-fsvae.txt' && \
	for a in diversity heatmap skips movement; do \
	  step analyze-$$a sh -c "$(SETLIST_BIN) analyze $$a -w .setlist/lastfm --ascii > $(RESULTS)/$$a.txt && $(SETLIST_BIN) analyze $$a -w .setlist/lastfm --json > $(RESULTS)/$$a.json" || exit 1; \
	done
	@cat $(RESULTS)/timings.txt
	@echo "results written to $(RESULTS)/"

clean:
	rm -rf .build
