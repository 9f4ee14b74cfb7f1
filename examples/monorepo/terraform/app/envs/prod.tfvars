environment   = "prod"
desired_count = 6
