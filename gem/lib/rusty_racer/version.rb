# frozen_string_literal: true

module RustyRacer
  VERSION = "0.1.0"
end
