locals {
  account = read_terragrunt_config(find_in_parent_folders("account.hcl"))
  region  = "eu-west-1"
}

remote_state {
  backend = "s3"
  config = {
    bucket         = "acme-${local.account.locals.name}-terragrunt-state"
    key            = "${path_relative_to_include()}/terraform.tfstate"
    region         = local.region
    encrypt        = true
    dynamodb_table = "acme-terragrunt-locks"
  }
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = "${local.region}"
}
EOF
}
