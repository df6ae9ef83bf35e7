# frozen_string_literal: true

require_relative "lib/rusty_racer/version"

Gem::Specification.new do |s|
  s.name = "rusty_racer"
  s.version = RustyRacer::VERSION
  s.summary = "The V8 JavaScript engine embedded in Ruby, in Rust"
  s.description = "Isolates, contexts, exact value marshalling, Ruby callbacks, timeouts, " \
                  "memory limits and strict thread confinement, on the v8 crate and Magnus."
  s.authors = ["rusty_racer developers"]
  s.license = "MIT"
  s.required_ruby_version = ">= 3.1"
  s.files = Dir["lib/**/*.rb", "sig/**/*.rbs"]
  s.require_paths = ["lib"]
  s.metadata["rbs_signatures"] = "sig"
end
