variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "database_url" {
  type = string
}

variable "desired_count" {
  type = number
}

resource "aws_ecs_cluster" "this" {
  name = var.name
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([{
    name        = var.name
    image       = "ghcr.io/acme/${var.name}:latest"
    environment = [{ name = "DATABASE_URL", value = var.database_url }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"
}

resource "aws_security_group" "service" {
  name   = "${var.name}-service"
  vpc_id = var.vpc_id
}

output "service_name" {
  value = aws_ecs_service.this.name
}
