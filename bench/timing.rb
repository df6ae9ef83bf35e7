# frozen_string_literal: true

# The median of `runs` timings of the block, in milliseconds.
def median_ms(runs)
  times = Array.new(runs) do
    t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    yield
    Process.clock_gettime(Process::CLOCK_MONOTONIC) - t
  end
  times.sort[runs / 2] * 1000
end
