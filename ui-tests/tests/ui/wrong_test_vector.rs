// A published vector whose GUID is off by one digit must fail the build.
use wslconst::Guid;
use wslconst::vectors::{Vector, VectorInput};

const UBUNTU_TYPO: Vector = Vector {
    input: VectorInput::Tier1 { name: "Ubuntu" },
    expected: Guid::parse_or_panic("{2c4de342-38b7-51cf-b940-2309a097f519}"),
    published_in: "a hand-copied script",
};

const _: () = wslconst::checks::vector_holds(&UBUNTU_TYPO);

fn main() {}
