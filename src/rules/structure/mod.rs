//! Structure rules: monolithic stacks, split candidates, services per stack.

pub mod independent_clusters;
pub mod lopsided_split;
pub mod monolithic_stack;
pub mod multi_service_stack;

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(monolithic_stack::MonolithicStack),
        Box::new(independent_clusters::IndependentClusters),
        Box::new(multi_service_stack::MultiServiceStack),
        Box::new(lopsided_split::LopsidedSplit),
    ]
}
