variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type = string
}

variable "desired_count" {
  type    = number
  default = 2
}
