# frozen_string_literal: true

require "json"
require "timeout"
require_relative "test_helper"

# The fast paths (Array::Iterate runs, joined string arrays, object
# templates, Sets built at once) must give exactly what the general walk
# gives, for every odd input they can meet.
class ValuesFastPathsTest < RustyRacerTest
  def setup
    super
    @ctx = context
    @ctx.eval(<<~JS)
      function echo(x) { return x }
      function keys(x) { return Object.keys(x) }
      function own(x, k) { return Object.prototype.hasOwnProperty.call(x, k) }
      function proto(x) { return Object.getPrototypeOf(x) === Object.prototype }
    JS
  end

  def test_long_arrays_of_strings_keep_every_character
    samples = ["a", "h\u00e9", "\u65e5\u672c", "", "\u{1F600}", "nul\0byte", "latin\u00ff"]
    got = @ctx.eval("const s = #{JSON.generate(samples)}; Array.from({length: 70}, (_, i) => s[i % s.length] + i)")
    assert_equal (0...70).map { |i| samples[i % samples.size] + i.to_s }, got
    assert got.all? { |s| s.encoding == Encoding::UTF_8 && s.valid_encoding? && !s.frozen? }
    lone = @ctx.eval("Array.from({length: 20}, (_, i) => 'x\\uD800' + i)")
    assert_equal (0...20).map { |i| "x\uFFFD#{i}" }, lone
  end

  # Arrays of strings are read string by string inside one Array::Iterate:
  # a surrogate pair split across two strings stays two lone halves, and
  # every unit converts as the single-string path converts it.
  def test_two_byte_string_arrays_convert_unit_for_unit
    split = @ctx.eval("Array.from({length: 40}, (_, i) => i % 2 ? '\\uDE00b' + i : 'a\\uD83D')")
    assert_equal (0...40).map { |i| i.odd? ? "\uFFFDb#{i}" : "a\uFFFD" }, split
    @ctx.eval_void(<<~JS)
      let seed = 7;
      const rand = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
      const units = [0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x65e5, 0xfffd, 0xffff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00];
      globalThis.words = Array.from({length: 300}, () => String.fromCharCode(...Array.from({length: rand(6)}, () => units[rand(units.length)])) + "\u65e5");
    JS
    whole = @ctx.eval("words")
    assert_equal 300, whole.size
    whole.each_with_index do |word, i|
      assert_equal @ctx.eval("words[#{i}]"), word, "word #{i}"
      assert_predicate word, :valid_encoding?
    end
  end

  def test_string_arrays_shared_or_mixed_keep_their_shape
    got = @ctx.eval("const s = Array.from({length: 20}, (_, i) => 's' + i); [s, s]")
    assert_same got[0], got[1]
    mixed = @ctx.eval("Array.from({length: 30}, (_, i) => i % 3 ? 'v' + i : {i})")
    assert_equal (0...30).map { |i| i % 3 == 0 ? { "i" => i } : "v#{i}" }, mixed
  end

  # A long string is read after the rest of the run, by index: it keeps
  # its place, and the strings after it stay on the fast path.
  def test_long_strings_among_short_ones_keep_their_places
    got = @ctx.eval(<<~JS)
      const long = (c, i) => c.repeat(5000 + i);
      Array.from({length: 60}, (_, i) => i % 7 === 3 ? long(i % 2 ? "\u65e5" : "L", i) : i % 5 === 0 ? i : "s" + i).concat([{o: 1}, long("x", 0)])
    JS
    want = (0...60).map { |i| i % 7 == 3 ? (i.odd? ? "\u65e5" : "L") * (5000 + i) : i % 5 == 0 ? i : "s#{i}" } + [{ "o" => 1 }, "x" * 5000]
    assert_equal want, got
    assert got.grep(String).all? { |s| s.encoding == Encoding::UTF_8 && s.valid_encoding? }
  end

  def test_number_runs_then_anything
    got = @ctx.eval("const a = Array.from({length: 600}, (_, i) => i); a.push('end', 1.5, null, true, -0, 2 ** 53, 2 ** 60); a")
    assert_equal (0...600).to_a + ["end", 1.5, nil, true, -0.0, 2**53, 2.0**60], got
    assert_equal(-0.0.to_s, got[-3].to_s)
  end

  def test_hashes_with_odd_keys_become_the_same_objects_as_key_by_key
    cases = [
      { "a" => 1, "b" => [2] },
      { "1" => "index", "a" => 2 },
      { 7 => "int", "b" => 1 },
      { "\u00e9t\u00e9" => 1, "\u65e5" => 2 },
      { "a" => 1, a: 2 },
      { "__proto__" => { "x" => 1 } },
      (1..100).to_h { |i| ["k#{i}", i] },
      {},
    ]
    cases.each do |h|
      got = @ctx.call("echo", h)
      expected = h.each_with_object({}) { |(k, v), out| out[k.to_s] = v }
      assert_equal expected.sort_by { |k, _| k =~ /\A\d+\z/ ? [0, k.to_i] : [1, 0] }.map(&:first),
                   @ctx.call("keys", h).sort_by { |k| k =~ /\A\d+\z/ ? [0, k.to_i] : [1, 0] }, h.inspect
      assert_equal expected, got.to_h, h.inspect
      assert @ctx.call("proto", h), "a plain object: #{h.inspect}"
    end
    assert @ctx.call("own", { "__proto__" => 1 }, "__proto__")
  end

  def test_same_shaped_hashes_share_a_template_and_stay_independent
    rows = (1..50).map { |i| { "id" => i, "name" => "n#{i}", "tags" => [i] } }
    @ctx.eval("function bump(rows) { rows[0].id = 100; rows[1].extra = true; delete rows[2].name; return rows }")
    got = @ctx.call("bump", rows)
    assert_equal 100, got[0]["id"]
    assert_equal true, got[1]["extra"]
    refute got[2].key?("name")
    assert_equal rows[3..], got[3..]
  end

  def test_cyclic_hashes_and_sets_keep_their_cycles
    h = { "name" => "root" }
    h["self"] = h
    h["list"] = [h]
    got = @ctx.eval("function check(x) { return x.self === x && x.list[0] === x && x.name }")
    assert_nil got
    assert_equal "root", @ctx.call("check", h)
    back = @ctx.call("echo", h)
    assert_same back, back["self"]
    s = Set[1, 2]
    arr = [s, s]
    assert_equal true, @ctx.eval("(function (x) { return x[0] === x[1] && x[0] instanceof Set && x[0].size === 2 })").call(arr)
  end

  def test_sets_of_every_kind
    s = Set[1, "two", [3], { "four" => 4 }, nil]
    assert_equal s, @ctx.call("echo", s)
    big = Set.new(0...5000)
    assert_equal big, @ctx.call("echo", big)
  end

  def test_plain_data_read_in_one_pass_keeps_identity_with_what_it_cannot_lay_out
    got = @ctx.eval("const o = {x: 1}; ({a: o, m: new Map([[1, o]]), list: [o, {o}]})")
    assert_same got["a"], got["m"][1]
    assert_same got["a"], got["list"][0]
    assert_same got["a"], got["list"][1]["o"]
    klass = @ctx.eval("class P { constructor() { this.v = 1 } }; [{p: new P(), n: Object.assign(Object.create(null), {k: 2})}]")
    assert_equal [{ "p" => { "v" => 1 }, "n" => { "k" => 2 } }], klass
  end

  def test_plain_data_read_in_one_pass_runs_getters_in_order_and_keeps_each_value_in_place
    got = @ctx.eval(<<~JS)
      globalThis.order = [];
      const get = (name, value) => () => { order.push(name); return value };
      const o = {};
      Object.defineProperty(o, "a", { get: get("a", 1), enumerable: true });
      Object.defineProperty(o, "b", { get: get("b", { x: [2, { y: 3 }] }), enumerable: true });
      Object.defineProperty(o, "c", { get: get("c", 4), enumerable: true });
      Object.defineProperty(o, "d", { get: get("d", [5, 6]), enumerable: true });
      const list = [7, 8, 9];
      Object.defineProperty(list, 0, { get: get("[0]", 7) });
      Object.defineProperty(list, 1, { get: get("[1]", { z: 8 }) });
      Object.defineProperty(list, 2, { get: get("[2]", 9) });
      [o, list, "end"]
    JS
    assert_equal [{ "a" => 1, "b" => { "x" => [2, { "y" => 3 }] }, "c" => 4, "d" => [5, 6] }, [7, { "z" => 8 }, 9], "end"], got
    assert_equal %w[a b c d [0] [1] [2]], @ctx.eval("order")
  end

  def test_plain_data_read_in_one_pass_raises_what_getters_and_traps_throw
    e = assert_raises(RustyRacer::RuntimeError) { @ctx.eval("[{a: {get b() { throw new Error('deep getter') }}}]") }
    assert_equal "Error: deep getter", e.message
    e = assert_raises(RustyRacer::RuntimeError) { @ctx.eval("({p: new Proxy({}, {ownKeys() { throw new TypeError('deep trap') }})})") }
    assert_equal "TypeError: deep trap", e.message
    deep = "let d = {}; for (let i = 0; i < 100000; i++) d = {d}; d"
    assert_raises(RustyRacer::Error) { @ctx.eval(deep) }
    assert_equal 1, @ctx.eval("1")
  end

  def test_user_code_cannot_change_how_plain_data_is_read
    @ctx.eval("Object.keys = () => []; Array.isArray = () => false; Object.getPrototypeOf = () => null")
    assert_equal [{ "a" => [1, { "b" => 2 }] }], @ctx.eval("[{a: [1, {b: 2}]}]")
  end
end

# Cases a review of the fast paths found; each crashed, hung or gave wrong data.
class ValuesReviewTest < RustyRacerTest
  def setup
    super
    @iso = isolate
    @ctx = @iso.context
    @ctx.eval("function echo(x) { return x }")
  end

  def test_a_callable_proxy_has_an_empty_name
    f = @ctx.eval("new Proxy(function named() {}, {})")
    assert_equal "", f.name
    assert_match(/JSFunction/, @ctx.eval("({f: new Proxy(() => 1, {})})")["f"].inspect)
  end

  def test_a_time_beyond_what_ruby_converts_raises_and_the_isolate_stays_usable
    assert_raises(RangeError) { @ctx.call("echo", Time.at(2**64)) }
    assert_equal 2, @ctx.eval("1 + 1")
    @iso.dispose
    assert @iso.disposed?
  end

  def test_a_throwing_element_getter_is_not_swallowed
    src = "let once = true; const a = [1, 2]; " \
          "Object.defineProperty(a, 1, {get() { if (once) { once = false; throw new Error('once') } return 5 }}); a"
    e = assert_raises(RustyRacer::RuntimeError) { @ctx.eval(src) }
    assert_equal "Error: once", e.message
  end

  def test_a_proxy_of_an_array_is_an_array_everywhere
    assert_equal [[1, 2]], @ctx.eval("[new Proxy([1, 2], {})]")
    assert_equal({ "k" => [1, 2] }, @ctx.eval("new Map([['k', new Proxy([1, 2], {})]])"))
    assert_equal [1, 2], @ctx.eval("new Proxy([1, 2], {})")
  end

  def test_a_shared_object_is_complete_when_a_set_or_map_holds_it
    r = @ctx.eval("const k = {a: 'x'}; [new Set([k, ...Array.from({length: 20}, (_, i) => i)]), k]")
    assert r[0].include?(r[1])
    r = @ctx.eval("const k2 = ['x']; [new Map([[k2, 1], ...Array.from({length: 20}, (_, i) => [i, i])]), k2]")
    assert_equal 1, r[0][r[1]]
  end

  def test_patched_intrinsics_do_not_change_what_comes_back
    @ctx.eval("const push = Array.prototype.push; Array.prototype.push = function (...a) { return push.apply(this, a.map(x => x === 1 ? 2 : x)) }")
    assert_equal [{ "a" => 1, "b" => [1, "x"] }], @ctx.eval("[{a: 1, b: [1, 'x']}]")
    @ctx.eval("Map.prototype.get = () => 0")
    assert_equal [{ "a" => { "b" => 1 } }], @ctx.eval("[{a: {b: 1}}]")
  end

  def test_patched_iterators_and_typed_array_methods_do_not_change_what_comes_back
    @ctx.eval("Array.prototype[Symbol.iterator] = function* () { yield 9 }; " \
              "Object.getPrototypeOf(Int32Array.prototype).set = () => {}; Reflect.apply = () => 0")
    got = @ctx.eval("var reads = 0; [{get a() { reads++; return 1 }, b: [2.5, 'x', null, true, false]}]")
    assert_equal [{ "a" => 1, "b" => [2.5, "x", nil, true, false] }], got
    assert_equal 1, @ctx.eval("reads"), "read in one pass (the general walk, after a declined tape, reads it again)"
  end

  def test_a_getter_that_changes_intrinsics_mid_walk_does_not_change_what_comes_back
    got = @ctx.eval("[{get a() { Object.prototype.x = 1; return 1 }}, {b: 2}]")
    assert_equal [{ "a" => 1 }, { "b" => 2 }], got
  end

  def test_an_enumerable_property_on_object_prototype_does_not_join_results
    @ctx.eval("Object.prototype.extra = 1")
    assert_equal [{ "a" => 1, "b" => [{ "c" => 2 }] }], @ctx.eval("[{a: 1, b: [{c: 2}]}]")
  end

  def test_keys_and_values_stay_paired_when_a_getter_changes_the_object
    got = @ctx.eval("[{get a() { delete this.b; this.z = 9; return 1 }, b: 2, c: 3}]")
    assert_equal [{ "a" => 1, "c" => 3 }], got
    trapped = @ctx.eval("const log = []; [new Proxy({x: 1, y: {z: 2}}, {get(t, k) { log.push(k); return t[k] }})]")
    assert_equal [{ "x" => 1, "y" => { "z" => 2 } }], trapped
    assert_equal %w[x y], @ctx.eval("log")
  end

  def test_objects_in_a_row_keep_their_own_keys
    src = "[{a: 1, b: 2, c: 3}, {x: 4}, {a: 5, b: 6}, {c: 7, d: 8}, {a: 9, b: 10}, {}, {x: 11}, {a: 12, b: 13, c: 14}, " \
          "{1: 'one', b: 'bee'}, Object.assign(Object.create(null), {n: 15})]"
    want = [{ "a" => 1, "b" => 2, "c" => 3 }, { "x" => 4 }, { "a" => 5, "b" => 6 }, { "c" => 7, "d" => 8 },
            { "a" => 9, "b" => 10 }, {}, { "x" => 11 }, { "a" => 12, "b" => 13, "c" => 14 }, { "1" => "one", "b" => "bee" },
            { "n" => 15 }]
    assert_equal want, @ctx.eval(src)
    assert_equal want.map(&:keys), @ctx.eval(src).map(&:keys)
  end

  def test_identity_holds_before_and_after_the_first_object_met_twice
    r = @ctx.eval("const a = {x: 1}, b = [a], c = {a, b, d: new Date(0)}; c.self = c; " \
                  "[{n: 0}, {n: 1}, a, b, c, a, b, c, [c], c.d]")
    assert_same r[2], r[5]
    assert_same r[3], r[6]
    assert_same r[4], r[7]
    assert_same r[4], r[4]["self"]
    assert_same r[4], r[8][0]
    assert_same r[2], r[4]["a"]
    assert_same r[2], r[3][0]
    assert_same r[4]["d"], r[9]
    assert_equal [{ "n" => 0 }, { "n" => 1 }], r[0, 2]
  end

  def test_patched_sets_do_not_change_what_comes_back
    @ctx.eval("Set.prototype.add = function () { throw new Error('patched') }; " \
              "Object.defineProperty(Set.prototype, 'size', {get() { return 0 }})")
    r = @ctx.eval("const s = {v: 1}; [s, s, {w: [s]}]")
    assert_equal [{ "v" => 1 }, { "v" => 1 }, { "w" => [{ "v" => 1 }] }], r
    assert_same r[0], r[1]
    assert_same r[0], r[2]["w"][0]
    fresh = context
    fresh.eval("delete Set.prototype.size")
    assert_equal [{ "a" => 1 }], fresh.eval("[{a: 1}]")
    throwing = context
    throwing.eval_void("Object.defineProperty(Array.prototype, 'push', {get() { throw new Error('no push') }})")
    assert_equal [{ "a" => [1, 2] }], throwing.eval("[{a: [1, 2]}]")
  end

  def test_numbers_inside_plain_data_keep_their_kind
    got = @ctx.eval("[{a: -0, b: 2147483647, c: -2147483648, d: 2147483648, e: 1.5, f: 2 ** 53, g: 2 ** 53 + 2, h: NaN, i: 0}]")[0]
    assert_equal [Float, Integer, Integer, Integer, Float, Integer, Float, Float, Integer], got.values.map(&:class)
    assert_equal(-0.0, got["a"])
    assert got["a"].to_s.start_with?("-")
    assert_equal [2_147_483_647, -2_147_483_648, 2_147_483_648, 1.5, 2**53, 2.0**53 + 2], got.values_at(*%w[b c d e f g])
    assert got["h"].nan?
  end

  def test_conversions_that_run_the_gc_keep_every_value
    mover = Class.new { def to_str = (GC.verify_compaction_references(double_heap: true, toward: :empty); "moved") }
    h = { "a" => mover.new }
    20.times { |j| h["k#{j}"] = ["v#{j}" * 3, { "n" => "s#{j}" }] }
    h["\u00e9"] = "x"
    expected = h.transform_values { |v| v.is_a?(String) || v.is_a?(Array) ? v : "moved" }
    assert_equal [expected], @ctx.call("echo", [h])
    stamps = (0...30).map { |i| Class.new { define_method(:to_str) { GC.start; [i].pack("C*") } }.new }
    got = @ctx.call("echo", stamps)
    assert_equal (0...30).map { |i| [i].pack("C*") }, got
  end

  def test_a_child_process_exiting_does_not_stop_running_js
    pid = spawn("true")
    assert_equal 300_000, @ctx.eval("let n = 0; const t = Date.now(); while (Date.now() - t < 300) {} for (let i = 0; i < 300000; i++) n++; n")
    Process.wait(pid)
  end

  def test_a_map_or_set_keyed_by_a_container_filled_later_finds_it
    r = @ctx.eval("const k = [new Date(0)]; [new Map([[k, 1]]), k]")
    assert_equal 1, r[0][r[1]]
    r = @ctx.eval("const k2 = [new Map()]; [new Set([k2]), k2]")
    assert r[0].include?(r[1])
  end

  # Map and Set entries, and the properties of objects the general walk
  # reads (class instances), are read straight from V8's elements: strings
  # of every kind (one-byte, two-byte, astral, lone surrogates, ropes, longer
  # than the scratch read) convert as the single-string path does.
  def test_strings_in_maps_sets_and_instances_convert_as_single_strings
    @ctx.eval_void(<<~JS)
      const words = ["", "a", "caf\\u00e9", "\\u65e5\\u672c", "\\u{1F600}", "x\\uD800", "\\uDC00y", "nul\\0", "\\u00ff"];
      const rope = (i) => words[i % words.length] + "-" + i + "-" + "r".repeat(i % 3);
      globalThis.parts = Array.from({length: 40}, (_, i) => rope(i)).concat(["L".repeat(5000) + "\\u00e9", "\\u65e5".repeat(4200)]);
      globalThis.m = new Map(parts.map((s, i) => [s, s + i]));
      globalThis.st = new Set(parts);
      class Point { constructor(s) { this.s = s; this.n = 1; this.t = s + "!" } }
      globalThis.inst = parts.map((s) => new Point(s));
    JS
    parts = @ctx.eval("parts")
    singles = (0...parts.size).map { |i| @ctx.eval("parts[#{i}]") }
    assert_equal singles, parts
    map = @ctx.eval("m")
    assert_instance_of RustyRacer::JSMap, map
    assert_equal singles.each_with_index.map { |s, i| [s, "#{s}#{i}"] }, map.to_a
    assert map.keys.all? { |k| k.frozen? && k.encoding == Encoding::UTF_8 && k.valid_encoding? }
    assert map.values.none?(&:frozen?)
    assert_equal singles, @ctx.eval("st").to_a
    assert_equal singles.map { |s| { "s" => s, "n" => 1, "t" => "#{s}!" } }, @ctx.eval("inst")
  end

  def test_maps_keep_keys_of_every_kind_in_order
    got = @ctx.eval(<<~JS)
      const shared = {a: 1};
      new Map([[1, "int"], [1.5, "float"], ["1", "string"], [true, "bool"], [null, "null"], [2n ** 70n, "big"],
               [shared, "object"], [[1, 2], "array"], ["after", shared], [undefined, "undefined"]])
    JS
    assert_equal [1, 1.5, "1", true, nil, 2**70, { "a" => 1 }, [1, 2], "after"], got.keys
    assert_equal "undefined", got[nil] # undefined and null are both nil: the last wins, as with Hash#[]=
    assert_same got.keys[6], got["after"]
    assert_equal "array", got[[1, 2]]
  end

  def test_maps_and_sets_of_strings_under_gc_stress
    @ctx.eval_void("globalThis.ms = new Map(Array.from({length: 300}, (_, i) => ['k' + i, 'v\u00e9' + i])); " \
                   "globalThis.ss = new Set(ms.values())")
    GC.stress = true
    map = @ctx.eval("ms")
    set = @ctx.eval("ss")
    array = @ctx.eval("[...ss, ...ms.keys()]")
    GC.stress = false
    assert_equal (0...300).to_h { |i| ["k#{i}", "v\u00e9#{i}"] }, map
    assert_equal map.values, set.to_a
    assert_equal map.values + map.keys, array
  ensure
    GC.stress = false
  end

  # A JSMap passed to JS is filled by the realm's own Map.prototype.set
  # (captured before user code ran), its ASCII String keys made as V8
  # keeps them: user code replacing `set` changes nothing, every kind of
  # key arrives as the same key, and a Map holding itself stays one Map.
  def test_jsmaps_passed_keep_every_key_whatever_user_code_patched
    @ctx.eval_void(<<~JS)
      Map.prototype.set = function () { throw new Error("patched set called") };
      globalThis.describe = (m) => [...m.keys()].map((k) => [typeof k, k instanceof Uint8Array ? [...k] : k, m.get(k)]);
      globalThis.selfRef = (m) => m.get("me") === m && m.get("same") === m.get("again");
    JS
    shared = [1]
    map = RustyRacer::JSMap["ascii" => 1, "caf\u00e9" => 2, "sjis".encode("Shift_JIS") => 3, "us".encode("US-ASCII") => 4,
                            "\xFF\x00".b => 5, 7 => 6, 1.5 => 7, nil => 8, :sym => 9, "k" * 5000 => 10]
    got = @ctx.call("describe", map)
    assert_equal [["string", "ascii", 1], ["string", "caf\u00e9", 2], ["string", "sjis", 3], ["string", "us", 4],
                  ["object", [255, 0], 5], ["number", 7, 6], ["number", 1.5, 7], ["object", nil, 8],
                  ["string", "sym", 9], ["string", "k" * 5000, 10]], got
    cyclic = RustyRacer::JSMap["same" => shared, "again" => shared]
    cyclic["me"] = cyclic
    assert_equal true, @ctx.call("selfRef", cyclic)
    big = RustyRacer::JSMap[(0...3000).map { |i| ["k#{i}", i] }]
    assert_equal big, @ctx.call("echo", big)
  end

  # A Set passed to JS is built with the realm's own Set.prototype.add:
  # user code that replaced it (or the array iterator `new Set` reads)
  # gets every item all the same, and the replacement is never called.
  def test_sets_passed_keep_their_items_whatever_user_code_patched
    @ctx.eval_void(<<~JS)
      globalThis.calls = 0;
      globalThis.items = (s) => { const out = []; Set.prototype.forEach.call(s, (x) => out.push(x)); return out };
      Set.prototype.add = function () { calls++; return this };
    JS
    assert_equal [1, "two", [3]], @ctx.call("items", Set[1, "two", [3]])
    @ctx.eval_void("Array.prototype[Symbol.iterator] = function* () { calls++; yield 42 }")
    assert_equal (0...300).to_a, @ctx.call("items", Set.new(0...300))
    assert_equal 0, @ctx.eval("calls")
  end

  # The entries of an object the general walk reads go through the
  # realm's own push: a getter replacing Array.prototype.push midway (here
  # with one that stores one item per call) changes nothing.
  def test_a_getter_replacing_array_push_midway_changes_nothing
    got = @ctx.eval(<<~JS)
      class P {}
      const p = new P();
      Object.defineProperty(p, "a", { enumerable: true, get() {
        Array.prototype.push = function (x) { this[this.length] = x; return this.length };
        return 1;
      } });
      p.b = "two"; p.c = 3; p.d = [4];
      p
    JS
    assert_equal({ "a" => 1, "b" => "two", "c" => 3, "d" => [4] }, got)
  end

  # Whether Set.prototype.add is the realm's own is read as a descriptor:
  # a getter put in its place is never run by passing a Set.
  def test_passing_a_set_runs_no_getter_on_set_prototype
    @ctx.eval_void(<<~JS)
      globalThis.reads = 0;
      const add = Set.prototype.add;
      Object.defineProperty(Set.prototype, "add", { get() { reads++; return add } });
    JS
    assert_equal 3, @ctx.eval("(s) => s.size").call(Set[1, 2, 3])
    assert_equal 0, @ctx.eval("reads")
  end

  # Strings of a large Set or Array are converted inside one
  # Array::Iterate: a timeout still stops it there.
  def test_large_sets_and_arrays_of_strings_returned_are_stopped_by_the_timeout
    @ctx.eval_void("globalThis.words = Array.from({length: 3e6}, (_, i) => 's' + i); globalThis.big = new Set(words)")
    %w[big words].each do |name|
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      assert_raises(RustyRacer::ScriptTerminatedError) { @ctx.eval(name, timeout_ms: 50) }
      elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
      assert_operator elapsed, :<, 0.5, "#{name} stopped after #{elapsed.round(2)} s"
    end
    assert_equal [3_000_000, "s2999999"], @ctx.eval("[big.size, words[words.length - 1]]")
  end

  def test_a_getter_of_an_array_element_may_call_back_into_ruby
    @ctx.attach("seven", -> { @ctx.eval("7") })
    assert_equal [7], @ctx.eval("const b = []; Object.defineProperty(b, 0, {get() { return seven() }, enumerable: true}); b")
  end

  # V8 reads a sparse array (dictionary elements) by its present indices
  # only: the holes between them must still be there, as nils.
  def test_sparse_arrays_keep_their_length_and_every_index
    got = @ctx.eval("const a = []; a[0] = 1; a[1] = 'two'; a[300000] = 3; a")
    assert_equal 300_001, got.size
    assert_equal [1, "two", nil], got[0, 3]
    assert_equal 3, got[300_000]
    assert_equal [1, "two", 3], got.compact
    got = @ctx.eval("const s = []; s[5] = {k: 1}; s[200000] = 'z'; [s]").first
    assert_equal [200_001, { "k" => 1 }, "z", 2], [got.size, got[5], got[200_000], got.compact.size]
  end

  # Each element getter runs once per read, whatever the element holds
  # (a long string, an object, the first element) and wherever it is.
  def test_array_element_getters_run_once_each
    @ctx.eval_void(<<~JS)
      globalThis.calls = {};
      globalThis.counted = (a, i, make) => Object.defineProperty(a, i, {
        get() { calls[i] = (calls[i] || 0) + 1; return make() }, enumerable: true });
    JS
    cases = {
      "counted([], 0, () => 'y'.repeat(5000))" => ->(r) { r.first.size == 5000 },
      "counted([], 0, () => ({k: 1}))" => ->(r) { r.first == { "k" => 1 } },
      "counted([], 0, () => 5)" => ->(r) { r.first == 5 },
      "const f = [1, 'x']; counted(f, 2, () => ({k: 2})); f[3] = 'w'.repeat(5000); f" => ->(r) { r[2] == { "k" => 2 } && r[3].size == 5000 },
      "const g = [1]; counted(g, 1, () => 's'.repeat(9000)); g[2] = {o: 1}; [g]" => ->(r) { r.first[1].size == 9000 },
    }
    cases.each do |source, check|
      @ctx.eval_void("calls = {}")
      result = @ctx.eval(source)
      assert check.call(result), "#{source}: #{result.inspect[0, 80]}"
      assert_equal [1], @ctx.eval("Object.values(calls)").uniq, "#{source}: #{@ctx.eval('calls')}"
    end
  end
end

# Ruby's interrupts keep reaching JS after operations that ran no JS for a
# while (large results, terminations), and a signal whose handler does not
# raise lets JS go on even while another Ruby thread is busy.
class InterruptsStayServedTest < RustyRacerTest
  def test_timeout_still_stops_js_after_large_results_and_terminations
    iso = isolate
    ctx = iso.context
    ctx.eval_void("var nums = Array.from({length: 3000000}, (_, i) => i)")
    3.times { ctx.eval("nums") }
    20.times do
      Thread.new { sleep 0.005; iso.terminate }
      begin
        ctx.eval("for (;;) {}")
      rescue RustyRacer::ScriptTerminatedError
        nil
      end
    end
    t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(Timeout::Error) { Timeout.timeout(0.3) { ctx.eval("({get x() { while (true) {} }})") } }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - t, :<, 3
  end

  def test_a_handled_signal_lets_js_go_on_while_another_thread_is_busy
    ctx = context
    handled = 0
    old = trap("USR1") { handled += 1 }
    busy = Thread.new { x = 0; loop { x += 1 } }
    Thread.new { sleep 0.2; Process.kill("USR1", Process.pid) }
    assert_equal "done", ctx.eval("const t = Date.now(); while (Date.now() - t < 800) {} 'done'")
    assert_equal 1, handled
  ensure
    busy&.kill
    trap("USR1", old || "DEFAULT")
  end

  def test_a_signal_handler_cannot_enter_an_isolate_inside_v8_and_js_goes_on
    ctx = context
    seen = []
    old = trap("USR2") do
      ctx.eval("1")
    rescue RustyRacer::Error => e
      seen << e.message
    end
    Thread.new { sleep 0.2; Process.kill("USR2", Process.pid) }
    assert_equal "done", ctx.eval("const t = Date.now(); while (Date.now() - t < 600) {} 'done'")
    assert_equal 1, seen.size
    assert_match(/JavaScript cannot run here/, seen.first)
  ensure
    trap("USR2", old || "DEFAULT")
  end
end

