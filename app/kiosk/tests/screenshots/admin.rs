//! Screenshots of this screen (none yet: the screen is a stub).

use super::Checker;

pub fn shots(_c: &mut Checker) {}
