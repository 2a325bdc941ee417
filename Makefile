# The README's two commands are `make run` and `make test`; both install whatever is missing
# first. The other targets run parts of the work (each also installs what it needs).
.PHONY: help run test test-rust test-e2e test-suites bench release release-check scale-out emulator lint

## help: these targets and what they do
help:
	@sed -n 's/^## \{0,1\}//p' Makefile

## run: the store with the embedded Wix emulator on http://127.0.0.1:3000, rebuilt on change
##      (this is `cargo leptos watch`; once set up, `cargo leptos watch` works on its own)
run:
	scripts/setup.sh
	cargo leptos watch

## test: every test: lint, all crates (both features), the reliability, fuzz and scale-out
##       suites at reduced size, the deployment manifests, then Playwright
test:
	scripts/test.sh

## test-rust: cargo tests of every crate (the storefront with `ssr` and `hydrate`)
##            one crate quickly: `cargo test -p wix-headless` (see README "Tests")
test-rust:
	scripts/test.sh rust

## test-e2e: Playwright only, hydrated and without JavaScript
##           one spec: `cd end2end && npx playwright test tests/cart.spec.ts`
test-e2e:
	scripts/test.sh e2e

## test-suites: the reliability, fuzz and scale-out suites at reduced size
test-suites:
	scripts/test.sh suites

## lint: rustfmt and clippy (both features, warnings are errors)
lint:
	scripts/test.sh lint

## bench: the benchmark report in bench/results/ (release build; not part of `make test`)
bench:
	bench/run.sh

## release: the optimised server and site in dist/ (see README "Deploying")
release:
	scripts/release.sh

## release-check: dist/ run the way the container image runs it (non-root, read-only)
release-check: release
	scripts/release-check.sh

## scale-out: three replicas behind nginx, restarted one by one under load (full size)
scale-out:
	python3 tests/scaleout/run.py --full

## emulator: the Wix emulator alone on http://127.0.0.1:3001
emulator:
	cargo run -p wix-emulator
