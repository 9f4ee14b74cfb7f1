terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.50"
    }
  }
  backend "s3" {
    bucket         = "acme-monorepo-tfstate"
    key            = "terraform/data/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "acme-monorepo-tflock"
    encrypt        = true
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "acme-monorepo-tfstate"
    key    = "terraform/network/terraform.tfstate"
    region = "eu-west-1"
  }
}

resource "aws_db_subnet_group" "main" {
  name       = "acme-prod"
  subnet_ids = data.terraform_remote_state.network.outputs.private_subnet_ids
}

resource "aws_db_instance" "orders" {
  identifier           = "acme-prod-orders"
  engine               = "postgres"
  engine_version       = "16.3"
  instance_class       = "db.t4g.medium"
  allocated_storage    = 100
  db_subnet_group_name = aws_db_subnet_group.main.name
  username             = "orders"
  manage_master_user_password = true
  skip_final_snapshot  = false
  tags = {
    Service = "orders"
  }
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-prod-exports"
  tags = {
    Service = "orders"
  }
}

output "db_endpoint" {
  value = aws_db_instance.orders.endpoint
}

output "exports_bucket" {
  value = aws_s3_bucket.exports.bucket
}
