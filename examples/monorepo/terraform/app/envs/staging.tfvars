environment   = "staging"
desired_count = 2
