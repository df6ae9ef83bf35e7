# frozen_string_literal: true

# `require "mini_racer"`: the real mini_racer when it is installed, else
# rusty_racer's compatible layer (gem/lib/rusty_racer/mini_racer.rb).
real = begin
  Gem::Specification.find_by_name("mini_racer")
rescue Gem::LoadError, NameError
  nil
end
if real
  gem "mini_racer"
  require File.join(real.full_gem_path, "lib", "mini_racer")
else
  require_relative "rusty_racer/mini_racer"
end
