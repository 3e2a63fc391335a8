# Convenience targets over ./build.sh (which also installs what a fresh machine is missing).
.PHONY: build demo test install clean
build:
	./build.sh build
demo:
	./build.sh demo
test:
	./build.sh test
install:
	./build.sh install
clean:
	rm -rf build
