//! nlohmann's double-to-digits conversion (`dtoa_impl::grisu2`, Florian
//! Loitsch's Grisu2 with the boundaries of Jaffer/Steele-White): the digits
//! nlohmann's `dump` prints for a double, byte for byte.
//!
//! Grisu2 always yields digits that read back as the same double, but not
//! always the shortest such digits: 2.5e22 comes out as
//! 24999999999999998 * 10^6. WSL's fragment carries whatever nlohmann prints,
//! so the model must print the same, not Rust's shortest round-trip.

/// A number `f * 2^e`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DiyFp {
    f: u64,
    e: i32,
}

impl DiyFp {
    fn sub(self, other: DiyFp) -> DiyFp {
        debug_assert!(self.e == other.e && self.f >= other.f);
        DiyFp {
            f: self.f - other.f,
            e: self.e,
        }
    }

    /// The upper 64 bits of the 128-bit product, rounded (ties up).
    fn mul(self, other: DiyFp) -> DiyFp {
        let product = u128::from(self.f) * u128::from(other.f);
        let rounded = (product >> 64) + ((product >> 63) & 1);
        DiyFp {
            f: rounded as u64,
            e: self.e + other.e + 64,
        }
    }

    fn normalize(self) -> DiyFp {
        let shift = self.f.leading_zeros();
        DiyFp {
            f: self.f << shift,
            e: self.e - shift as i32,
        }
    }

    fn normalize_to(self, e: i32) -> DiyFp {
        let delta = self.e - e;
        debug_assert!(delta >= 0 && ((self.f << delta) >> delta) == self.f);
        DiyFp {
            f: self.f << delta,
            e,
        }
    }
}

/// The value and the boundaries of the interval of reals that round to it:
/// `(lower, value, upper)`, the boundaries with the exponent of the
/// normalized upper one.
fn boundaries(value: f64) -> (DiyFp, DiyFp, DiyFp) {
    const PRECISION: i32 = 53;
    const BIAS: i32 = 1023 + (PRECISION - 1);
    const HIDDEN_BIT: u64 = 1 << (PRECISION - 1);
    let bits = value.to_bits();
    let biased_exponent = bits >> (PRECISION - 1);
    let fraction = bits & (HIDDEN_BIT - 1);
    let v = if biased_exponent == 0 {
        DiyFp {
            f: fraction,
            e: 1 - BIAS,
        }
    } else {
        DiyFp {
            f: fraction + HIDDEN_BIT,
            e: biased_exponent as i32 - BIAS,
        }
    };
    let lower_boundary_is_closer = fraction == 0 && biased_exponent > 1;
    let upper = DiyFp {
        f: 2 * v.f + 1,
        e: v.e - 1,
    }
    .normalize();
    let lower = if lower_boundary_is_closer {
        DiyFp {
            f: 4 * v.f - 1,
            e: v.e - 2,
        }
    } else {
        DiyFp {
            f: 2 * v.f - 1,
            e: v.e - 1,
        }
    }
    .normalize_to(upper.e);
    (lower, v.normalize(), upper)
}

const ALPHA: i32 = -60;

/// `c = f * 2^e ~= 10^k`.
#[derive(Clone, Copy)]
struct CachedPower {
    f: u64,
    e: i32,
    k: i32,
}

/// 10^k for k = -300, -292, ..., 324: `f` is 10^k / 2^e rounded half up with
/// 2^63 <= f < 2^64, computed exactly (the same table Grisu's paper and
/// nlohmann publish).
const CACHED_POWERS: [CachedPower; 79] = [
    CachedPower {
        f: 0xAB70FE17C79AC6CA,
        e: -1060,
        k: -300,
    },
    CachedPower {
        f: 0xFF77B1FCBEBCDC4F,
        e: -1034,
        k: -292,
    },
    CachedPower {
        f: 0xBE5691EF416BD60C,
        e: -1007,
        k: -284,
    },
    CachedPower {
        f: 0x8DD01FAD907FFC3C,
        e: -980,
        k: -276,
    },
    CachedPower {
        f: 0xD3515C2831559A83,
        e: -954,
        k: -268,
    },
    CachedPower {
        f: 0x9D71AC8FADA6C9B5,
        e: -927,
        k: -260,
    },
    CachedPower {
        f: 0xEA9C227723EE8BCB,
        e: -901,
        k: -252,
    },
    CachedPower {
        f: 0xAECC49914078536D,
        e: -874,
        k: -244,
    },
    CachedPower {
        f: 0x823C12795DB6CE57,
        e: -847,
        k: -236,
    },
    CachedPower {
        f: 0xC21094364DFB5637,
        e: -821,
        k: -228,
    },
    CachedPower {
        f: 0x9096EA6F3848984F,
        e: -794,
        k: -220,
    },
    CachedPower {
        f: 0xD77485CB25823AC7,
        e: -768,
        k: -212,
    },
    CachedPower {
        f: 0xA086CFCD97BF97F4,
        e: -741,
        k: -204,
    },
    CachedPower {
        f: 0xEF340A98172AACE5,
        e: -715,
        k: -196,
    },
    CachedPower {
        f: 0xB23867FB2A35B28E,
        e: -688,
        k: -188,
    },
    CachedPower {
        f: 0x84C8D4DFD2C63F3B,
        e: -661,
        k: -180,
    },
    CachedPower {
        f: 0xC5DD44271AD3CDBA,
        e: -635,
        k: -172,
    },
    CachedPower {
        f: 0x936B9FCEBB25C996,
        e: -608,
        k: -164,
    },
    CachedPower {
        f: 0xDBAC6C247D62A584,
        e: -582,
        k: -156,
    },
    CachedPower {
        f: 0xA3AB66580D5FDAF6,
        e: -555,
        k: -148,
    },
    CachedPower {
        f: 0xF3E2F893DEC3F126,
        e: -529,
        k: -140,
    },
    CachedPower {
        f: 0xB5B5ADA8AAFF80B8,
        e: -502,
        k: -132,
    },
    CachedPower {
        f: 0x87625F056C7C4A8B,
        e: -475,
        k: -124,
    },
    CachedPower {
        f: 0xC9BCFF6034C13053,
        e: -449,
        k: -116,
    },
    CachedPower {
        f: 0x964E858C91BA2655,
        e: -422,
        k: -108,
    },
    CachedPower {
        f: 0xDFF9772470297EBD,
        e: -396,
        k: -100,
    },
    CachedPower {
        f: 0xA6DFBD9FB8E5B88F,
        e: -369,
        k: -92,
    },
    CachedPower {
        f: 0xF8A95FCF88747D94,
        e: -343,
        k: -84,
    },
    CachedPower {
        f: 0xB94470938FA89BCF,
        e: -316,
        k: -76,
    },
    CachedPower {
        f: 0x8A08F0F8BF0F156B,
        e: -289,
        k: -68,
    },
    CachedPower {
        f: 0xCDB02555653131B6,
        e: -263,
        k: -60,
    },
    CachedPower {
        f: 0x993FE2C6D07B7FAC,
        e: -236,
        k: -52,
    },
    CachedPower {
        f: 0xE45C10C42A2B3B06,
        e: -210,
        k: -44,
    },
    CachedPower {
        f: 0xAA242499697392D3,
        e: -183,
        k: -36,
    },
    CachedPower {
        f: 0xFD87B5F28300CA0E,
        e: -157,
        k: -28,
    },
    CachedPower {
        f: 0xBCE5086492111AEB,
        e: -130,
        k: -20,
    },
    CachedPower {
        f: 0x8CBCCC096F5088CC,
        e: -103,
        k: -12,
    },
    CachedPower {
        f: 0xD1B71758E219652C,
        e: -77,
        k: -4,
    },
    CachedPower {
        f: 0x9C40000000000000,
        e: -50,
        k: 4,
    },
    CachedPower {
        f: 0xE8D4A51000000000,
        e: -24,
        k: 12,
    },
    CachedPower {
        f: 0xAD78EBC5AC620000,
        e: 3,
        k: 20,
    },
    CachedPower {
        f: 0x813F3978F8940984,
        e: 30,
        k: 28,
    },
    CachedPower {
        f: 0xC097CE7BC90715B3,
        e: 56,
        k: 36,
    },
    CachedPower {
        f: 0x8F7E32CE7BEA5C70,
        e: 83,
        k: 44,
    },
    CachedPower {
        f: 0xD5D238A4ABE98068,
        e: 109,
        k: 52,
    },
    CachedPower {
        f: 0x9F4F2726179A2245,
        e: 136,
        k: 60,
    },
    CachedPower {
        f: 0xED63A231D4C4FB27,
        e: 162,
        k: 68,
    },
    CachedPower {
        f: 0xB0DE65388CC8ADA8,
        e: 189,
        k: 76,
    },
    CachedPower {
        f: 0x83C7088E1AAB65DB,
        e: 216,
        k: 84,
    },
    CachedPower {
        f: 0xC45D1DF942711D9A,
        e: 242,
        k: 92,
    },
    CachedPower {
        f: 0x924D692CA61BE758,
        e: 269,
        k: 100,
    },
    CachedPower {
        f: 0xDA01EE641A708DEA,
        e: 295,
        k: 108,
    },
    CachedPower {
        f: 0xA26DA3999AEF774A,
        e: 322,
        k: 116,
    },
    CachedPower {
        f: 0xF209787BB47D6B85,
        e: 348,
        k: 124,
    },
    CachedPower {
        f: 0xB454E4A179DD1877,
        e: 375,
        k: 132,
    },
    CachedPower {
        f: 0x865B86925B9BC5C2,
        e: 402,
        k: 140,
    },
    CachedPower {
        f: 0xC83553C5C8965D3D,
        e: 428,
        k: 148,
    },
    CachedPower {
        f: 0x952AB45CFA97A0B3,
        e: 455,
        k: 156,
    },
    CachedPower {
        f: 0xDE469FBD99A05FE3,
        e: 481,
        k: 164,
    },
    CachedPower {
        f: 0xA59BC234DB398C25,
        e: 508,
        k: 172,
    },
    CachedPower {
        f: 0xF6C69A72A3989F5C,
        e: 534,
        k: 180,
    },
    CachedPower {
        f: 0xB7DCBF5354E9BECE,
        e: 561,
        k: 188,
    },
    CachedPower {
        f: 0x88FCF317F22241E2,
        e: 588,
        k: 196,
    },
    CachedPower {
        f: 0xCC20CE9BD35C78A5,
        e: 614,
        k: 204,
    },
    CachedPower {
        f: 0x98165AF37B2153DF,
        e: 641,
        k: 212,
    },
    CachedPower {
        f: 0xE2A0B5DC971F303A,
        e: 667,
        k: 220,
    },
    CachedPower {
        f: 0xA8D9D1535CE3B396,
        e: 694,
        k: 228,
    },
    CachedPower {
        f: 0xFB9B7CD9A4A7443C,
        e: 720,
        k: 236,
    },
    CachedPower {
        f: 0xBB764C4CA7A44410,
        e: 747,
        k: 244,
    },
    CachedPower {
        f: 0x8BAB8EEFB6409C1A,
        e: 774,
        k: 252,
    },
    CachedPower {
        f: 0xD01FEF10A657842C,
        e: 800,
        k: 260,
    },
    CachedPower {
        f: 0x9B10A4E5E9913129,
        e: 827,
        k: 268,
    },
    CachedPower {
        f: 0xE7109BFBA19C0C9D,
        e: 853,
        k: 276,
    },
    CachedPower {
        f: 0xAC2820D9623BF429,
        e: 880,
        k: 284,
    },
    CachedPower {
        f: 0x80444B5E7AA7CF85,
        e: 907,
        k: 292,
    },
    CachedPower {
        f: 0xBF21E44003ACDD2D,
        e: 933,
        k: 300,
    },
    CachedPower {
        f: 0x8E679C2F5E44FF8F,
        e: 960,
        k: 308,
    },
    CachedPower {
        f: 0xD433179D9C8CB841,
        e: 986,
        k: 316,
    },
    CachedPower {
        f: 0x9E19DB92B4E31BA9,
        e: 1013,
        k: 324,
    },
];

/// A cached power whose product with a normalized number of binary exponent
/// `e` has an exponent in [-60, -32].
fn cached_power(e: i32) -> CachedPower {
    const MIN_DEC_EXP: i32 = -300;
    const DEC_STEP: i32 = 8;
    let f = ALPHA - e - 1;
    // ceil(f * log10(2)), in integer arithmetic as nlohmann computes it.
    let k = (f * 78913) / (1 << 18) + i32::from(f > 0);
    let index = (-MIN_DEC_EXP + k + (DEC_STEP - 1)) / DEC_STEP;
    CACHED_POWERS[index as usize]
}

/// `(k, 10^(k-1))` with 10^(k-1) <= n < 10^k (n = 0 gives (1, 1)).
fn largest_pow10(n: u32) -> (i32, u32) {
    let mut pow10 = 1_000_000_000u32;
    let mut k = 10;
    while k > 1 && n < pow10 {
        pow10 /= 10;
        k -= 1;
    }
    (k, pow10)
}

/// Grisu2's correction of the last digit towards the value.
fn round_last_digit(digits: &mut [u8], dist: u64, delta: u64, mut rest: u64, ten_k: u64) {
    let last = digits.len() - 1;
    while rest < dist
        && delta - rest >= ten_k
        && (rest + ten_k < dist || dist - rest > rest + ten_k - dist)
    {
        digits[last] -= 1;
        rest += ten_k;
    }
}

/// The digits nlohmann prints for a finite `value > 0`, and the exponent:
/// `value ~= digits * 10^exponent`.
pub(super) fn digits(value: f64) -> (Vec<u8>, i32) {
    debug_assert!(value.is_finite() && value > 0.0);
    let (m_minus, v, m_plus) = boundaries(value);
    let cached = cached_power(m_plus.e);
    let c = DiyFp {
        f: cached.f,
        e: cached.e,
    };
    let w = v.mul(c);
    let w_minus = m_minus.mul(c);
    let w_plus = m_plus.mul(c);
    let lower = DiyFp {
        f: w_minus.f + 1,
        e: w_minus.e,
    };
    let upper = DiyFp {
        f: w_plus.f - 1,
        e: w_plus.e,
    };
    let mut exponent = -cached.k;
    let mut digits = Vec::with_capacity(17);

    let mut delta = upper.sub(lower).f;
    let mut dist = upper.sub(w).f;
    let one_e = (-upper.e) as u32;
    let one_f = 1u64 << one_e;
    let mut p1 = (upper.f >> one_e) as u32;
    let mut p2 = upper.f & (one_f - 1);
    let (k, mut pow10) = largest_pow10(p1);
    let mut n = k;
    while n > 0 {
        digits.push(b'0' + (p1 / pow10) as u8);
        p1 %= pow10;
        n -= 1;
        let rest = (u64::from(p1) << one_e) + p2;
        if rest <= delta {
            exponent += n;
            round_last_digit(&mut digits, dist, delta, rest, u64::from(pow10) << one_e);
            return (digits, exponent);
        }
        pow10 /= 10;
    }
    let mut m = 0;
    loop {
        p2 *= 10;
        digits.push(b'0' + (p2 >> one_e) as u8);
        p2 &= one_f - 1;
        m += 1;
        delta *= 10;
        dist *= 10;
        if p2 <= delta {
            break;
        }
    }
    exponent -= m;
    round_last_digit(&mut digits, dist, delta, p2, one_f);
    (digits, exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: f64) -> String {
        let (digits, exponent) = digits(value);
        format!("{}e{exponent}", String::from_utf8(digits).unwrap())
    }

    #[test]
    fn grisu2_digits_are_nlohmanns() {
        // 2.5e22 is where Grisu2 is not shortest; nlohmann prints
        // 2.4999999999999998e+22 for it.
        assert_eq!(text(2.5e22), "24999999999999998e6");
        assert_eq!(text(1.0), "1e0");
        assert_eq!(text(0.1), "1e-1");
        assert_eq!(text(1.5), "15e-1");
        assert_eq!(text(123.456), "123456e-3");
        assert_eq!(text(5e-324), "5e-324");
        assert_eq!(text(f64::MAX), "17976931348623157e292");
    }

    #[test]
    fn every_result_reads_back_as_the_same_double() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let value = f64::from_bits(x >> 1);
            if !value.is_finite() || value == 0.0 {
                continue;
            }
            let (digits, exponent) = digits(value);
            let back: f64 = format!("{}e{exponent}", String::from_utf8(digits).unwrap())
                .parse()
                .unwrap();
            assert_eq!(back, value, "{value:e}");
        }
    }
}
