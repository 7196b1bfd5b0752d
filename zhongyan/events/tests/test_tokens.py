from zhongyan.events.tokens import check_join_token, check_screen_key, make_join_token, make_screen_key

VENUE = "abcdefghjkmnpqrs"


def test_a_fresh_join_token_is_accepted() -> None:
    token = make_join_token(VENUE, 60, now=1_000_000)
    assert check_join_token(VENUE, 60, token, now=1_000_010)


def test_a_token_from_the_previous_window_is_still_accepted() -> None:
    token = make_join_token(VENUE, 60, now=1_000_000)
    assert check_join_token(VENUE, 60, token, now=1_000_000 + 60)


def test_a_token_two_windows_old_is_refused() -> None:
    token = make_join_token(VENUE, 60, now=1_000_000)
    assert not check_join_token(VENUE, 60, token, now=1_000_000 + 130)


def test_a_token_from_the_future_is_refused() -> None:
    token = make_join_token(VENUE, 60, now=1_000_000 + 600)
    assert not check_join_token(VENUE, 60, token, now=1_000_000)


def test_a_token_for_another_venue_is_refused() -> None:
    token = make_join_token(VENUE, 60, now=1_000_000)
    assert not check_join_token("zzzzzzzzzzzzzzzz", 60, token, now=1_000_000)


def test_garbage_tokens_are_refused() -> None:
    good = make_join_token(VENUE, 60, now=1_000_000)
    # Change the last character (replacing it by a fixed "0" left it unchanged 1 time in 16).
    tampered = good[:-1] + ("1" if good[-1] == "0" else "0")
    for token in ("", "-", "zz-123", "12345", tampered):
        assert not check_join_token(VENUE, 60, token, now=1_000_000)


def test_without_rotation_the_code_never_changes() -> None:
    token = make_join_token(VENUE, 0, now=1)
    assert token == make_join_token(VENUE, 0, now=10**9)
    assert check_join_token(VENUE, 0, token, now=10**9)


def test_screen_keys_open_only_their_own_venue() -> None:
    key = make_screen_key(VENUE)
    assert check_screen_key(VENUE, key)
    assert not check_screen_key("zzzzzzzzzzzzzzzz", key)
    assert not check_screen_key(VENUE, key + "x")
