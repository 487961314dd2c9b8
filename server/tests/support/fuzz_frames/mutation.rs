//! Mutating an input: byte-level changes, lib0 varints of interesting
//! sizes, splicing, and the update inside a frame with its length fixed up.

use super::*;

pub(super) const INTERESTING: [u64; 14] = [
    0,
    1,
    2,
    0x7f,
    0x80,
    0xff,
    0x3fff,
    0x4000,
    0x7fff_ffff,
    0xffff_ffff,
    0x1_0000_0000,
    (1 << 53) - 1,
    1 << 53,
    u64::MAX,
];

pub(super) fn mutate(rng: &mut Rng, input: &mut Vec<u8>, other: &[u8]) {
    // Changes that keep the length (and so every length prefix) right come
    // up more often: they get further into the decoders.
    const KINDS: [usize; 16] = [0, 0, 0, 1, 1, 7, 7, 2, 3, 4, 5, 6, 8, 9, 10, 0];
    match KINDS[rng.below(KINDS.len())] {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] = rng.next_u64() as u8;
        }
        2 => {
            let i = rng.below(input.len() + 1);
            input.insert(i, rng.next_u64() as u8);
        }
        3 if !input.is_empty() => {
            let i = rng.below(input.len());
            let n = 1 + rng.below(4.min(input.len() - i));
            input.drain(i..i + n);
        }
        4 => {
            let cut = rng.below(input.len() + 1);
            input.truncate(cut);
        }
        5 => {
            // splice: our head, another seed's tail
            let head = rng.below(input.len() + 1);
            let tail = rng.below(other.len() + 1);
            input.truncate(head);
            input.extend_from_slice(&other[tail..]);
        }
        6 | 7 => {
            // a varint of an interesting size, inserted (6) or written over (7)
            let mut n = INTERESTING[rng.below(INTERESTING.len())];
            if rng.chance(30) {
                n = n.wrapping_add(rng.below(3) as u64).wrapping_sub(1);
            }
            let mut bytes = Vec::new();
            var(&mut bytes, n);
            let i = rng.below(input.len() + 1);
            let end = if rng.chance(50) {
                i
            } else {
                (i + bytes.len()).min(input.len())
            };
            input.splice(i..end, bytes);
        }
        8 => {
            let n = rng.below(24);
            let i = rng.below(input.len() + 1);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            input.splice(i..i, bytes);
        }
        9 if !input.is_empty() => {
            // repeat a chunk
            let i = rng.below(input.len());
            let n = 1 + rng.below(16.min(input.len() - i));
            let chunk = input[i..i + n].to_vec();
            let at = rng.below(input.len() + 1);
            input.splice(at..at, chunk);
        }
        _ => {
            // random bytes
            let n = rng.below(48);
            *input = (0..n).map(|_| rng.next_u64() as u8).collect();
        }
    }
}

/// The update inside a single-update frame, if that is what it holds.
pub(super) fn inner_update(frame: &[u8]) -> Option<(u8, Vec<u8>)> {
    let (&kind, rest) = frame.split_first()?;
    let (&sync, rest) = rest.split_first()?;
    if kind != 0 || !(sync == 1 || sync == 2) {
        return None;
    }
    let mut len: u64 = 0;
    let mut at = 0;
    for shift in (0..64).step_by(7) {
        let byte = *rest.get(at)?;
        at += 1;
        len |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let payload = rest.get(at..)?;
    (payload.len() as u64 == len).then(|| (sync, payload.to_vec()))
}

pub(super) fn wrap(sync: u8, update: &[u8]) -> Vec<u8> {
    let mut out = vec![0, sync];
    var(&mut out, update.len() as u64);
    out.extend_from_slice(update);
    out
}
