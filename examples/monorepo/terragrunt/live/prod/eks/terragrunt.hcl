include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../../modules//eks"
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    private_subnets = ["subnet-mock"]
  }
}

inputs = {
  cluster_name = "acme-prod"
  subnet_ids   = dependency.vpc.outputs.private_subnets
  node_count   = 4
}
