//! Hand-built updates (lib0 v1 encoding) that no honest replica sends.

use yrs::updates::decoder::Decode;
use yrs::Update;

/// Writes `n` as a lib0 varint.
pub(crate) fn var(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// An update with no structs that deletes these `(client, [(clock, len)])`.
pub(crate) fn deletes(ranges: &[(u64, Vec<(u32, u32)>)]) -> Vec<u8> {
    let mut out = vec![0];
    var(&mut out, ranges.len() as u64);
    for (client, list) in ranges {
        var(&mut out, *client);
        var(&mut out, list.len() as u64);
        for (clock, len) in list {
            var(&mut out, u64::from(*clock));
            var(&mut out, u64::from(*len));
        }
    }
    out
}

/// An update holding one skip struct of `client` at `clock` and nothing else.
pub(crate) fn skip(client: u64, clock: u32, len: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for n in [1, 1, client, u64::from(clock), 10, u64::from(len), 0] {
        var(&mut out, n);
    }
    out
}

/// An update of one item, `client#clock`, holding one unit of deleted
/// content, written right after the item `after` (its left origin).
pub(crate) fn deleted_after(client: u64, clock: u32, after: (u64, u32)) -> Vec<u8> {
    let mut out = Vec::new();
    for n in [1, 1, client, u64::from(clock)] {
        var(&mut out, n);
    }
    out.push(0b1000_0001); // a left origin; content kind 1, deleted
    var(&mut out, after.0);
    var(&mut out, u64::from(after.1));
    var(&mut out, 1);
    out.push(0);
    out
}

/// A plan's deleted ranges, as yrs encodes them in its `state`.
pub(crate) fn deleted_ranges(state: &[u8]) -> Vec<(u64, u32, u32)> {
    let update = Update::decode_v1(state).unwrap();
    let mut out = Vec::new();
    for (client, ranges) in update.delete_set().iter() {
        for range in ranges.iter() {
            out.push((client.get(), range.start, range.end));
        }
    }
    out
}
