from transflow.cli import run

run()
