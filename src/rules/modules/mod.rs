//! Module rules: local module pitfalls.

pub mod anemic_module;
pub mod unshared_module;

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(unshared_module::UnsharedModule),
        Box::new(anemic_module::AnemicModule),
    ]
}
