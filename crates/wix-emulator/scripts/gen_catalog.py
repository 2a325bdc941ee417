#!/usr/bin/env python3
"""Writes data/catalog.json: the emulator's demo catalog in Wix's REST product shape (Catalog V3).

Deterministic (fixed seed), so the committed file only changes when this script does.
Run from the crate folder: python3 scripts/gen_catalog.py
"""
import json
import random
import uuid

rng = random.Random(20261125)
# Draws added later use their own generator, so the products above stay as they were.
extra = random.Random(20261130)
NS = uuid.UUID("6f1c2b8e-8d7a-4c1e-9a55-1d0c0ffee001")


def uid(*parts):
    return str(uuid.uuid5(NS, "/".join(parts)))


COLORS = [("Black", "#1d1d1f"), ("White", "#f5f5f0"), ("Navy", "#1f2f5a"), ("Sand", "#d8c3a0"),
          ("Forest", "#2f5d3a"), ("Rust", "#b5532c"), ("Sky", "#7fb2e5"), ("Plum", "#6b3a5b")]
SIZES = ["XS", "S", "M", "L", "XL"]

CATEGORIES = [
    ("apparel", "Apparel", ["Tee", "Hoodie", "Sweater", "Shirt", "Jacket"], "apparel"),
    ("home", "Home & Living", ["Vase", "Candle", "Cushion", "Throw", "Lamp"], "color"),
    ("kitchen", "Kitchen", ["Mug", "Teapot", "Bowl", "Plate Set", "Carafe"], "color"),
    ("accessories", "Accessories", ["Tote Bag", "Cap", "Beanie", "Scarf", "Wallet"], "color"),
    ("stationery", "Stationery", ["Notebook", "Planner", "Pen Set", "Sketchbook", "Card Set"], "none"),
    ("outdoor", "Outdoor", ["Water Bottle", "Backpack", "Picnic Blanket", "Camp Mug", "Hammock"], "color"),
    ("wellness", "Wellness", ["Yoga Mat", "Bath Towel", "Soap Bar", "Diffuser", "Tea Blend"], "none"),
]
ADJECTIVES = ["Everyday", "Classic", "Coastal", "Alpine", "Meadow", "Harbor", "Linen", "Cedar",
              "Ember", "Willow", "Granite", "Saffron", "Juniper", "Orchard", "Lunar", "Tidal",
              "Maple", "Canyon", "Aurora", "Quarry"]
MATERIALS = {"apparel": "organic cotton", "home": "hand-glazed stoneware", "kitchen": "porcelain",
             "accessories": "recycled canvas", "stationery": "FSC-certified paper",
             "outdoor": "ripstop nylon", "wellness": "natural fibres"}


def money(amount):
    return {"amount": fmt_amount(amount), "formattedAmount": "$%.2f" % amount}


def fmt_amount(amount):
    text = "%.2f" % amount
    return text[:-3] if text.endswith(".00") else text.rstrip("0")


def slugify(name):
    return "-".join(name.lower().replace("&", "and").split())


categories = [{"id": uid("category", slug), "name": name, "slug": slug, "visible": True}
              for slug, name, _, _ in CATEGORIES]
all_products_category = {"id": uid("category", "all-products"), "name": "All Products",
                         "slug": "all-products", "visible": True}

products = []
day = 0
for cat_index, (cat_slug, cat_name, nouns, option_kind) in enumerate(CATEGORIES):
    cat_id = uid("category", cat_slug)
    adjectives = ADJECTIVES[:]
    rng.shuffle(adjectives)
    count = 0
    for noun in nouns:
        for adjective in adjectives[:4] if cat_index % 2 == 0 else adjectives[4:8]:
            if count >= 18:
                break
            count += 1
            day += 1
            name = f"{adjective} {noun}"
            slug = slugify(name)
            pid = uid("product", slug)
            base = float(rng.choice([12, 14, 18, 22, 24, 28, 32, 36, 39, 45, 48, 55, 64, 72, 89, 120]))
            on_sale = rng.random() < 0.3
            compare_at = round(base * rng.choice([1.2, 1.25, 1.4]), 0) if on_sale else None
            hue = rng.randrange(0, 360)
            image_count = rng.choice([2, 3, 4])
            items = []
            for n in range(image_count):
                media_id = f"{pid}-{n + 1}.svg"
                items.append({
                    "id": media_id,
                    "image": {"id": media_id, "url": f"/media/{media_id}?hue={(hue + n * 37) % 360}&label={name.replace(' ', '+')}",
                              "height": 800, "width": 800, "filename": f"{slug}-{n + 1}.svg"},
                    "altText": f"{name}, view {n + 1}",
                    "mediaType": "IMAGE",
                })

            options = []
            combos = [[]]
            if option_kind in ("apparel", "color"):
                colors = rng.sample(COLORS, rng.choice([2, 3, 4]))
                options.append(("Color", "SWATCH_CHOICES", [(c, code) for c, code in colors]))
            if option_kind == "apparel":
                sizes = SIZES[rng.choice([0, 1]):]
                options.append(("Size", "TEXT_CHOICES", [(s, None) for s in sizes]))
            if option_kind == "color" and rng.random() < 0.25:
                options = []  # some products in option categories have no options at all

            option_json = []
            for opt_name, render, choices in options:
                # Catalog V3 options are site-wide customizations: one id per option and choice.
                opt_id = uid("option", opt_name)
                option_json.append({
                    "id": opt_id, "name": opt_name, "key": opt_name, "optionRenderType": render,
                    "choicesSettings": {"choices": [
                        {"choiceId": uid("choice", opt_name, c), "key": c, "name": c,
                         "choiceType": "ONE_COLOR" if code else "CHOICE_TEXT",
                         **({"colorCode": code} if code else {}),
                         "inStock": True, "visible": True}
                        for c, code in choices]},
                })
                combos = [prev + [(opt_id, opt_name, render, uid("choice", opt_name, c), c)]
                          for prev in combos for c, _ in choices]

            variants = []
            for v_index, combo in enumerate(combos):
                # Sizes at the ends cost a little more; a few combinations are sold out.
                price = base + (4.0 if any(c[4] in ("XL",) for c in combo) else 0.0)
                in_stock = not (combo and rng.random() < 0.18)
                variant = {
                    "id": uid("variant", pid, *[c[4] for c in combo]) if combo else "00000000-0000-0000-0000-000000000000",
                    "visible": True,
                    "sku": f"{slug[:12].upper()}-{v_index + 1:02d}",
                    "choices": [{"optionChoiceIds": {"optionId": c[0], "choiceId": c[3]},
                                 "optionChoiceNames": {"optionName": c[1], "choiceName": c[4], "renderType": c[2]}}
                                for c in combo],
                    "price": {"actualPrice": money(price), **({"compareAtPrice": money(compare_at + price - base)} if compare_at else {})},
                    "inventoryStatus": {"inStock": in_stock, "preorderEnabled": False},
                    "physicalProperties": {},
                }
                # Each colour shows one of the product's photos (Wix derives `variant.media` from
                # the media a merchant links to a choice), so the gallery can follow the picker.
                colour = next((c[4] for c in combo if c[1] == "Color"), None)
                if colour is not None:
                    position = [c for c, _ in options[0][2]].index(colour)
                    variant["media"] = items[position % len(items)]
                variants.append(variant)
            # Every product keeps at least one purchasable variant.
            if not any(v["inventoryStatus"]["inStock"] for v in variants):
                variants[0]["inventoryStatus"]["inStock"] = True
            in_stock_count = sum(v["inventoryStatus"]["inStock"] for v in variants)
            for opt in option_json:
                for choice in opt["choicesSettings"]["choices"]:
                    choice["inStock"] = any(
                        v["inventoryStatus"]["inStock"] and any(ch["optionChoiceIds"]["choiceId"] == choice["choiceId"] for ch in v["choices"])
                        for v in variants)
            availability = ("IN_STOCK" if in_stock_count == len(variants)
                            else "OUT_OF_STOCK" if in_stock_count == 0 else "PARTIALLY_OUT_OF_STOCK")
            prices = [float(v["price"]["actualPrice"]["amount"]) for v in variants]
            created = f"2026-{1 + (day // 28) % 12:02d}-{1 + day % 28:02d}T09:{day % 60:02d}:00.000Z"
            material = MATERIALS[cat_slug]
            description = (f"<p>The {name} is made from {material} and finished by hand.</p>"
                           f"<ul><li>Designed for {rng.choice(['daily use', 'slow mornings', 'weekends away', 'gifting'])}</li>"
                           f"<li>Ships in plastic-free packaging</li></ul>")
            product = {
                "id": pid,
                "revision": "1",
                "createdDate": created,
                "updatedDate": created,
                "name": name,
                "slug": slug,
                "url": {"relativePath": f"/product-page/{slug}", "url": f"https://demo.example.com/product-page/{slug}"},
                "plainDescription": description,
                "visible": True,
                "visibleInPos": True,
                "productType": "PHYSICAL",
                "physicalProperties": {},
                "currency": "USD",
                "brand": {"id": uid("brand", "wix-demo"), "name": "Rustic Goods"},
                "media": {"main": items[0], "itemsInfo": {"items": items}},
                "options": option_json,
                "modifiers": [],
                "actualPriceRange": {"minValue": money(min(prices)), "maxValue": money(max(prices))},
                "compareAtPriceRange": ({"minValue": money(compare_at), "maxValue": money(compare_at + max(prices) - base)}
                                        if compare_at else {"minValue": money(min(prices)), "maxValue": money(max(prices))}),
                "inventory": {"availabilityStatus": availability, "preorderStatus": "DISABLED",
                              "preorderAvailability": "NO_VARIANTS"},
                "mainCategoryId": cat_id,
                "directCategoriesInfo": {"categories": [{"id": cat_id, "index": count - 1}]},
                "allCategoriesInfo": {"categories": [{"id": cat_id, "index": count - 1},
                                                     {"id": all_products_category["id"], "index": len(products)}]},
                "variantSummary": {"variantCount": len(variants)},
                "variantsInfo": {"variants": variants},
            }
            # An automatic discount on some products not already on sale (`priceAfterDiscount`,
            # returned with DISCOUNT_INFO), with a "Sale" ribbon.
            if not compare_at and extra.random() < 0.12:
                for variant in variants:
                    actual = float(variant["price"]["actualPrice"]["amount"])
                    variant["price"]["priceAfterDiscount"] = money(round(actual * 0.85, 2))
                product["ribbon"] = {"name": "Sale"}
            elif day % 17 == 0:
                product["ribbon"] = {"name": "New"}
            if cat_slug == "apparel":
                product["infoSections"] = [
                    {"id": uid("info", pid, "care"), "title": "Care",
                     "plainDescription": f"<p>Machine wash cold. Dry flat. The {material} softens with every wash.</p>"},
                    {"id": uid("info", pid, "returns"), "title": "Shipping & returns",
                     "plainDescription": "<p>Free returns within 30 days.</p>"},
                ]
            products.append(product)

# Limited stock (emulator only, never served), keyed "product id/variant id": a few units
# left, so carts show `availableQuantity` and partial adds.
limited = {}
for product in products:
    if product["slug"] in ("linen-planner", "juniper-water-bottle"):
        for variant in product["variantsInfo"]["variants"]:
            if variant["inventoryStatus"]["inStock"]:
                limited[f"{product['id']}/{variant['id']}"] = 3

# A hidden category: Wix returns it to nobody but its merchant.
hidden = {"id": uid("category", "archive"), "name": "Archive", "slug": "archive", "visible": False}

out = {"currency": {"code": "USD", "symbol": "$"},
       "categories": [all_products_category] + categories + [hidden],
       "limitedStock": limited,
       "products": products}
with open("data/catalog.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(products)} products in {len(categories)} categories")
