//! The generator on documents written for the test: each class of broken document gets a
//! message a person can act on, and several success answers become one enum.

mod broken_specs;
mod several_answers;
