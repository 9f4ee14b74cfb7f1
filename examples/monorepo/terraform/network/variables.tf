variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "cidr_block" {
  type    = string
  default = "10.40.0.0/16"
}

variable "private_subnets" {
  type = map(string)
  default = {
    "eu-west-1a" = "10.40.1.0/24"
    "eu-west-1b" = "10.40.2.0/24"
    "eu-west-1c" = "10.40.3.0/24"
  }
}
