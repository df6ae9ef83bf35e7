# frozen_string_literal: true

require "json"
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

  def test_string_arrays_shared_or_mixed_keep_their_shape
    got = @ctx.eval("const s = Array.from({length: 20}, (_, i) => 's' + i); [s, s]")
    assert_same got[0], got[1]
    mixed = @ctx.eval("Array.from({length: 30}, (_, i) => i % 3 ? 'v' + i : {i})")
    assert_equal (0...30).map { |i| i % 3 == 0 ? { "i" => i } : "v#{i}" }, mixed
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
