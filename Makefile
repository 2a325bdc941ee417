# The two commands of the README. Both install whatever is missing first.
.PHONY: run test emulator

## run: the store with the embedded Wix emulator on http://127.0.0.1:3000, rebuilt on change
run:
	scripts/setup.sh
	cargo leptos watch

## test: every test (cargo tests of all crates and both features, then Playwright)
test:
	scripts/test.sh

## emulator: the Wix emulator alone on http://127.0.0.1:3001
emulator:
	cargo run -p wix-emulator
