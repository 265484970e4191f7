# Setlist: two commands.
#   make run   builds release and opens the explorer on the default data
#   make test  runs the whole test suite
# Both install missing system packages first.

APT_PACKAGES := libncursesw5-dev libopenblas-dev libsqlite3-dev pkg-config tmux
SWIFT ?= swift

.PHONY: run test deps pydeps build release bench results clean

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

# The PyTorch-interop tests read and write safetensors from Python (they skip when it is missing).
pydeps:
	@python3 -c "import safetensors, numpy" 2>/dev/null || python3 -m pip install -q safetensors numpy || \
	  echo "note: could not install the Python safetensors package; the interop tests will skip"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	$(SWIFT) run -c release setlist explore

# The acceptance tests run at full size in the debug build too: SETLIST_SLOW_TESTS for the CoSeRNN
# ranking (about 2 minutes), SETLIST_ANN_TEST_COUNT for HNSW recall on 100k vectors (about 3 minutes).
test: deps pydeps
	$(SWIFT) build --build-tests
	SETLIST_SLOW_TESTS=1 SETLIST_ANN_TEST_COUNT=100000 $(SWIFT) test --skip-build

bench: release
	$(SWIFT) run -c release setlist bench all

# The real-data results of Docs/results/README.md, regenerated from the Last.fm JODIE prefix into
# Docs/results/lastfm/ (not committed: nothing derived from ../shared/datasets enters the repository).
LASTFM ?= ../shared/datasets/lastfm-1k-jodie-prefix.csv
RESULTS := Docs/results/lastfm
SETLIST_BIN := .build/release/setlist
results: release
	@test -f "$(LASTFM)" || { echo "make results: $(LASTFM) not found; set LASTFM=path/to/lastfm-1k-jodie-prefix.csv"; exit 1; }
	rm -rf .setlist/lastfm $(RESULTS) && mkdir -p $(RESULTS)
	$(SETLIST_BIN) import "$(LASTFM)" -w .setlist/lastfm | tee $(RESULTS)/import.txt
	$(SETLIST_BIN) embed -w .setlist/lastfm --dimension 40 | tee $(RESULTS)/embed.txt
	$(SETLIST_BIN) embed -w .setlist/lastfm --dimension 80 | tee -a $(RESULTS)/embed.txt
	$(SETLIST_BIN) evaluate all -w .setlist/lastfm --output $(RESULTS)/evaluation
	$(SETLIST_BIN) train fsvae -w .setlist/lastfm | tee $(RESULTS)/train-fsvae.txt
	for a in diversity heatmap skips movement; do \
	  $(SETLIST_BIN) analyze $$a -w .setlist/lastfm --ascii > $(RESULTS)/$$a.txt && \
	  $(SETLIST_BIN) analyze $$a -w .setlist/lastfm --json > $(RESULTS)/$$a.json || exit 1; \
	done
	@echo "results written to $(RESULTS)/"

clean:
	rm -rf .build
