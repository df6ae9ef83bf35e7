# frozen_string_literal: true

# bin/bench pool: a server's view of RustyRacer::Pool. Puma-style threads
# (1, 2 and 4) share one pool of 2 warm contexts and render a Handlebars
# template (from npm, installed by bin/setup into the user cache dir; a
# plain template literal when it is missing) as fast as they can. Prints
# renders per second and the ratio to one thread; JS runs without the GVL,
# so with 2 cores 2 threads can approach 2x, and 4 threads queue for the
# 2 contexts (they wait without the GVL).
#
#   bin/bench pool      (BENCH_SCALE=0.2 for shorter rounds)
$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"

SCALE = Float(ENV.fetch("BENCH_SCALE", 1))
npm = File.join(ENV.fetch("XDG_CACHE_HOME", File.join(Dir.home, ".cache")), "rusty_racer/npm/node_modules")
handlebars = File.join(npm, "handlebars/dist/handlebars.js")
TEMPLATE = "<ul>{{#each items}}<li class='{{kind}}'>{{name}}: {{price}}</li>{{/each}}</ul>"
setup = if File.exist?(handlebars)
          source = File.read(handlebars)
          lambda do |ctx|
            ctx.eval_void(source)
            ctx.eval_void("const template = Handlebars.compile(#{TEMPLATE.dump}); " \
                          "function render(props) { return template(props) }")
            ctx.eval_void(HEAVY)
          end
        else
          warn "handlebars is not installed (bin/setup installs it): rendering with a template literal"
          lambda do |ctx|
            ctx.eval_void("function render(p) { return '<ul>' + p.items.map(i => " \
                          "`<li class='${i.kind}'>${i.name}: ${i.price}</li>`).join('') + '</ul>' }")
            ctx.eval_void(HEAVY)
          end
        end
# A render whose props are made in JS (a page of 400 items): the JS is most
# of the work, where the render above spends half its time marshalling
# props with the GVL held.
HEAVY = <<~JS
  function renderPage(page) {
    const items = Array.from({ length: 400 }, (_, i) => ({ name: `item ${page}.${i}`, kind: i % 2 ? "b" : "a", price: i * 1.5 }));
    return render({ items }).length;
  }
JS
PROPS = { "items" => 40.times.map { |i| { "name" => "item #{i}", "kind" => i.even? ? "a" : "b", "price" => i * 1.5 } } }.freeze

pool = RustyRacer::Pool.new(size: 2, &setup)
check = pool.with { |ctx| ctx.call("render", PROPS) }
raise "render is broken: #{check[0, 80]}" unless check.include?("<li class='a'>item 0: 0</li>")

def renders_per_second(pool, threads, renders, &render)
  per_thread = renders / threads
  t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  threads.times.map { Thread.new { per_thread.times { pool.with(&render) } } }.each(&:join)
  per_thread * threads / (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0)
end

[["render(props): #{PROPS["items"].size} items passed from Ruby", (2000 * SCALE).ceil, ->(ctx) { ctx.call("render", PROPS) }],
 ["renderPage(n): 400 items made in JS", (400 * SCALE).ceil, ->(ctx) { ctx.call("renderPage", 1) }]].each do |label, renders, render|
  renders_per_second(pool, 2, renders, &render) # warm up both contexts
  puts "#{label}: #{renders} renders through a pool of 2 (best of 3 rounds)"
  base = nil
  [1, 2, 4].each do |threads|
    rate = 3.times.map { renders_per_second(pool, threads, renders, &render) }.max
    base ||= rate
    puts format("  %d thread%s  %9.0f renders/s  %5.2fx one thread", threads, threads == 1 ? " " : "s", rate, rate / base)
  end
end
pool.shutdown
