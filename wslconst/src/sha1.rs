//! A streaming SHA-1 that runs in `const` context.
//!
//! UUIDv5 needs SHA-1 over `namespace ‖ name`. Concatenating the two in a `const fn`
//! would need a fixed-size buffer, and so a length limit on names. Streaming the
//! bytes through the compression function instead has no limit at all: the
//! UTF-16LE encoder feeds it one code unit at a time. The `const-sha1` crate and
//! the `uuid` crate are used in the tests as independent implementations.

/// SHA-1 state fed incrementally. All methods are `const`.
#[derive(Clone, Copy)]
pub(crate) struct Sha1 {
    state: [u32; 5],
    block: [u8; 64],
    filled: usize,
    /// Whole blocks compressed so far; the message length is derived at the end
    /// instead of being counted byte by byte.
    blocks: u64,
}

impl Sha1 {
    pub(crate) const fn new() -> Sha1 {
        Sha1 {
            state: [
                0x6745_2301,
                0xefcd_ab89,
                0x98ba_dcfe,
                0x1032_5476,
                0xc3d2_e1f0,
            ],
            block: [0; 64],
            filled: 0,
            blocks: 0,
        }
    }

    pub(crate) const fn push(&mut self, byte: u8) {
        self.block[self.filled] = byte;
        self.filled += 1;
        if self.filled == 64 {
            self.compress();
        }
    }

    /// Pushes two bytes at once. Only for streams of whole 2-byte units after an
    /// even-length prefix (UUIDv5's 16-byte namespace), so a block never splits a pair.
    pub(crate) const fn push_pair(&mut self, low: u8, high: u8) {
        debug_assert!(self.filled.is_multiple_of(2));
        self.block[self.filled] = low;
        self.block[self.filled + 1] = high;
        self.filled += 2;
        if self.filled == 64 {
            self.compress();
        }
    }

    pub(crate) const fn update(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            self.push(bytes[i]);
            i += 1;
        }
    }

    pub(crate) const fn finish(mut self) -> [u8; 20] {
        let bit_len = (self.blocks * 64 + self.filled as u64).wrapping_mul(8);
        self.block[self.filled] = 0x80;
        self.filled += 1;
        if self.filled > 56 {
            while self.filled < 64 {
                self.block[self.filled] = 0;
                self.filled += 1;
            }
            self.compress();
        }
        while self.filled < 56 {
            self.block[self.filled] = 0;
            self.filled += 1;
        }
        let len = bit_len.to_be_bytes();
        let mut i = 0;
        while i < 8 {
            self.block[56 + i] = len[i];
            i += 1;
        }
        self.compress();
        let mut out = [0u8; 20];
        let mut w = 0;
        while w < 5 {
            let b = self.state[w].to_be_bytes();
            out[w * 4] = b[0];
            out[w * 4 + 1] = b[1];
            out[w * 4 + 2] = b[2];
            out[w * 4 + 3] = b[3];
            w += 1;
        }
        out
    }

    /// Compresses the full block and empties it.
    const fn compress(&mut self) {
        // The message schedule is kept as a rolling window of 16 words.
        let mut w = [0u32; 16];
        let mut t = 0;
        while t < 16 {
            w[t] = u32::from_be_bytes([
                self.block[t * 4],
                self.block[t * 4 + 1],
                self.block[t * 4 + 2],
                self.block[t * 4 + 3],
            ]);
            t += 1;
        }
        let [mut a, mut b, mut c, mut d, mut e] = self.state;
        // Four loops, one per round function, so no round decides which it is.
        t = 0;
        while t < 80 {
            let word = if t < 16 {
                w[t]
            } else {
                let next = (w[(t + 13) & 15] ^ w[(t + 8) & 15] ^ w[(t + 2) & 15] ^ w[t & 15])
                    .rotate_left(1);
                w[t & 15] = next;
                next
            };
            let (f, k) = if t < 20 {
                ((b & c) | (!b & d), 0x5a82_7999)
            } else if t < 40 {
                (b ^ c ^ d, 0x6ed9_eba1)
            } else if t < 60 {
                ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc)
            } else {
                (b ^ c ^ d, 0xca62_c1d6)
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(word);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, temp);
            t += 1;
        }
        self.state[0] = self.state[0].wrapping_add(a);
        self.state[1] = self.state[1].wrapping_add(b);
        self.state[2] = self.state[2].wrapping_add(c);
        self.state[3] = self.state[3].wrapping_add(d);
        self.state[4] = self.state[4].wrapping_add(e);
        self.filled = 0;
        self.blocks += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::Sha1;

    fn digest(bytes: &[u8]) -> [u8; 20] {
        let mut h = Sha1::new();
        h.update(bytes);
        h.finish()
    }

    fn hex(d: [u8; 20]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn fips_180_vectors() {
        assert_eq!(hex(digest(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(digest(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(digest(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(digest(&vec![b'a'; 1_000_000])),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    #[test]
    fn agrees_with_const_sha1_at_every_padding_boundary() {
        // Lengths around 55/56/64 bytes exercise both padding branches.
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in 0..data.len() {
            let ours = digest(&data[..len]);
            let theirs = const_sha1::sha1(&data[..len]).as_bytes();
            assert_eq!(ours, theirs, "length {len}");
        }
    }

    #[test]
    fn runs_in_const_context() {
        const ABC: [u8; 20] = {
            let mut h = Sha1::new();
            h.update(b"abc");
            h.finish()
        };
        assert_eq!(hex(ABC), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }
}
