"""Making the batteries follow the plan: inputs from the services, commands, the check loop."""
