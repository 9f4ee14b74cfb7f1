terraform {
  backend "s3" {
    bucket = "acme-monorepo-tfstate"
    key    = "terramate/monitoring/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_cloudwatch_log_group" "platform" {
  name = "/acme/platform"
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "platform-errors"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  metric_name         = "Errors"
  namespace           = "Acme/Platform"
  period              = 60
  statistic           = "Sum"
  threshold           = 10
}
