from qingzhai.core.masking import mask_account, mask_address, mask_email, mask_id, mask_phone


def test_masks_match_the_house_format():
    assert mask_id("110105194912311234") == "110***********1234"
    assert mask_phone("13856785678") == "138****5678"
    assert mask_account("6222021234567890123") == "6222***********0123"
    assert mask_email("zhang.san@example.cn") == "z***@example.cn"


def test_address_mask_keeps_region_only():
    masked = mask_address("北京市朝阳区建国路88号3单元1201")
    assert masked.startswith("北京市朝阳区")
    assert "88号" not in masked


def test_short_values_fully_hidden():
    assert mask_id("123") == "***"
    assert mask_phone("") == ""
