# frozen_string_literal: true

require "set" # JS Sets come back as Ruby Sets (Ruby 3.1 does not autoload it)
require_relative "rusty_racer/version"

# The classes, methods and errors are defined by the compiled extension,
# generated from idl/*.yaml (see gem/sig/rusty_racer.rbs for the API).
begin
  require "rusty_racer/rusty_racer"
rescue LoadError => e
  raise LoadError, "rusty_racer's extension is not built (#{e.message}); run bin/setup in the checkout, " \
                   "or install the gem so its extconf builds it"
end
require_relative "rusty_racer/file_resolver"
require_relative "rusty_racer/pool"
