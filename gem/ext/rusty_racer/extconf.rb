# frozen_string_literal: true

# Builds the extension with cargo through plain mkmf (the rb_sys gem is not
# needed). V8 comes from RUSTY_V8_ARCHIVE, or from the archive bin/build-v8
# leaves in ~/.cache/rusty_racer: the v8 crate cannot download one offline.
require "mkmf"
require "rbconfig"

crates = File.expand_path("crates", __dir__)
cargo = ENV["CARGO"] || find_executable("cargo") || File.expand_path("~/.cargo/bin/cargo")
abort "rusty_racer: cargo (Rust) is required to build the extension; install Rust with rustup" unless File.executable?(cargo)

cache = File.join(ENV.fetch("XDG_CACHE_HOME", File.expand_path("~/.cache")), "rusty_racer")
archive = ENV["RUSTY_V8_ARCHIVE"] || File.join(cache, "v8-build/152.2.0/librusty_v8.a.gz")
unless File.file?(archive)
  abort <<~MSG
    rusty_racer: no V8 archive at #{archive}.
    Set RUSTY_V8_ARCHIVE to a librusty_v8.a.gz built for the v8 crate 152.2.0 with library TLS
    (bin/build-v8 in rusty_racer's source tree builds one from source, about 1.5 hours on 2 cores).
  MSG
end
target = ENV["CARGO_TARGET_DIR"] || File.join(cache, "target")
libclang = ENV["LIBCLANG_PATH"] || "/usr/lib/llvm-22/lib"
linker = find_executable("mold") ? "-C link-arg=-fuse-ld=mold" : ""
install_dir = File.join(RbConfig::CONFIG["sitearchdir"], "rusty_racer")
# The target dir may be shared with checkouts of rusty_racer: the marker tells
# their bin/ scripts that these sources were built last (see bin/env.sh).

env = {
  "RUSTY_V8_ARCHIVE" => File.expand_path(archive),
  "CARGO_TARGET_DIR" => target,
  "LIBCLANG_PATH" => libclang,
  "RUSTFLAGS" => [ENV["RUSTFLAGS"], linker].compact.join(" ").strip,
}.map { |k, v| "#{k}=#{v.to_s.shellescape}" }.join(" ")

File.write("Makefile", <<~MAKE)
  all: rusty_racer.so

  rusty_racer.so:
  \tcd #{crates.shellescape} && #{env} #{cargo.shellescape} build --release --locked -p rusty_racer
  \tprintf '%s' #{crates.shellescape} > #{File.join(target, ".rusty_racer-checkout").shellescape}
  \tcp #{File.join(target, "release/librusty_racer.so").shellescape} rusty_racer.so

  install: rusty_racer.so
  \tmkdir -p $(DESTDIR)#{install_dir.shellescape}
  \tcp rusty_racer.so $(DESTDIR)#{install_dir.shellescape}/rusty_racer.so

  clean:
  \trm -f rusty_racer.so

  .PHONY: all install clean
MAKE
