from tests.fakes.fixtures import make_stack, redis_server

__all__ = ["make_stack", "redis_server"]
