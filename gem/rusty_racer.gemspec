# frozen_string_literal: true

require_relative "lib/rusty_racer/version"

# A gem packages only files under its own directory, so when built from the
# checkout (`gem build rusty_racer.gemspec` in gem/), the Rust workspace the
# extension needs is copied into ext/rusty_racer/crates first; extconf.rb
# builds it with cargo.
repo = File.expand_path("..", __dir__)
crates = File.join(__dir__, "ext/rusty_racer/crates")
if File.directory?(File.join(repo, "runtime")) && File.exist?(File.join(repo, "Cargo.lock"))
  require "fileutils"
  FileUtils.rm_rf(crates)
  %w[Cargo.lock idl runtime/Cargo.toml runtime/src bindings/Cargo.toml bindings/build.rs bindings/src
     codegen/idl/Cargo.toml codegen/idl/src codegen/macros/Cargo.toml codegen/macros/src
     codegen/support/Cargo.toml codegen/support/src].each do |part|
    FileUtils.mkdir_p(File.dirname(File.join(crates, part)))
    FileUtils.cp_r(File.join(repo, part), File.join(crates, part))
  end
  workspace = File.read(File.join(repo, "Cargo.toml"))
                  .sub(/members = \[.*?\]/m, 'members = ["runtime", "bindings", "codegen/idl", "codegen/macros", "codegen/support"]')
  File.write(File.join(crates, "Cargo.toml"), workspace)
  # The changelog and the API reference ship with the gem.
  FileUtils.cp(File.join(repo, "CHANGELOG.md"), __dir__)
  FileUtils.mkdir_p(File.join(__dir__, "doc"))
  FileUtils.cp(File.join(repo, "doc/api.md"), File.join(__dir__, "doc"))
end

Gem::Specification.new do |s|
  s.name = "rusty_racer"
  s.version = RustyRacer::VERSION
  s.summary = "The V8 JavaScript engine embedded in Ruby, in Rust"
  s.description = "Isolates, contexts, exact value marshalling, Ruby callbacks, timeouts, " \
                  "memory limits and strict thread confinement, on the v8 crate and Magnus."
  s.authors = ["rusty_racer developers"]
  s.license = "MIT"
  # Where the project will be published (not yet reachable from here).
  s.homepage = "https://github.com/rusty-racer/rusty_racer"
  s.required_ruby_version = ">= 3.1"
  s.files = Dir.chdir(__dir__) do
    Dir["lib/**/*.rb", "sig/**/*.rbs", "ext/rusty_racer/extconf.rb", "ext/rusty_racer/crates/**/*",
        "CHANGELOG.md", "doc/api.md"]
      .reject { |f| File.directory?(f) }
  end
  s.extensions = ["ext/rusty_racer/extconf.rb"]
  s.require_paths = ["lib"]
  s.metadata["rbs_signatures"] = "sig"
  s.metadata["homepage_uri"] = s.homepage
  s.metadata["source_code_uri"] = s.homepage
  s.metadata["changelog_uri"] = "#{s.homepage}/blob/main/CHANGELOG.md"
  s.metadata["documentation_uri"] = "#{s.homepage}/blob/main/doc/api.md"
  s.metadata["bug_tracker_uri"] = "#{s.homepage}/issues"
end
