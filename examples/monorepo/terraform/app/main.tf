terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.50"
    }
  }
  # Partial configuration: the key comes from envs/<env>.tfbackend at init time.
  backend "s3" {}
}

provider "aws" {
  region = var.region
}

data "aws_vpc" "main" {
  tags = {
    Name = "acme-prod"
  }
}

data "terraform_remote_state" "data" {
  backend = "s3"
  config = {
    bucket = "acme-monorepo-tfstate"
    key    = "terraform/data/terraform.tfstate"
    region = "eu-west-1"
  }
}

module "orders" {
  source = "../../modules/service"

  name          = "orders-${var.environment}"
  vpc_id        = data.aws_vpc.main.id
  database_url  = data.terraform_remote_state.data.outputs.db_endpoint
  desired_count = var.desired_count
}
