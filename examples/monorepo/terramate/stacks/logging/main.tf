terraform {
  backend "s3" {
    bucket = "acme-monorepo-tfstate"
    key    = "terramate/logging/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_log_group" "platform" {
  name              = "/acme/platform"
  retention_in_days = 30
}

resource "aws_s3_bucket" "archive" {
  bucket = "acme-log-archive"
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.platform.name
}
