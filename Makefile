# Setlist: two commands.
#   make run   builds release and opens the explorer on the default data
#   make test  runs the whole test suite
# Both install missing system packages first.

APT_PACKAGES := libncursesw5-dev libopenblas-dev libsqlite3-dev pkg-config tmux
SWIFT ?= swift

.PHONY: run test deps pydeps build release bench clean

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

# SETLIST_SLOW_TESTS runs the CoSeRNN ranking acceptance test in the debug build too (about 2 minutes).
test: deps pydeps
	$(SWIFT) build --build-tests
	SETLIST_SLOW_TESTS=1 $(SWIFT) test --skip-build

bench: release
	$(SWIFT) run -c release setlist bench all

clean:
	rm -rf .build
