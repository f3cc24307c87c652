"""Static material the simulated world is generated from: service names that a
real panel would list (every refill marker of spec/rules.md, plus start-time,
speed and size noise that must not be read as a refill window), usernames,
provider names and customer ticket texts in several languages."""

from __future__ import annotations

from typing import NamedTuple


class ServiceTemplate(NamedTuple):
    name: str
    category: str
    refill: bool  # whether the SMM API shows a refill button
    type: str = "Default"


# The first entries cover each marker of the rules once; a world with fewer
# services than this list still takes them in this order.
SERVICE_TEMPLATES: tuple[ServiceTemplate, ...] = (
    ServiceTemplate("Instagram Followers [R30] | Max 50K | Day 20K", "Instagram Followers", True),
    ServiceTemplate("Instagram Followers R 30 | 0-1h start", "Instagram Followers", True),
    ServiceTemplate("TikTok Likes | 30 days refill | Instant", "TikTok Likes", True),
    ServiceTemplate("YouTube Views [30D Refill] [Non Drop] | 10K/Day", "YouTube Views", True),
    ServiceTemplate("♻️ 30 days | Instagram Likes | Max 100K", "Instagram Likes", True),
    ServiceTemplate("Telegram Members | Refill 30D | 0-1h start", "Telegram Members", True),
    ServiceTemplate("Instagram Followers G60 | Speed 5K/Day", "Instagram Followers", True),
    ServiceTemplate("Facebook Page Likes [Guarantee 60 Days]", "Facebook Likes", True),
    ServiceTemplate("Instagram Followers [Lifetime] | Max 1M", "Instagram Followers", True),
    ServiceTemplate("Spotify Plays | Lifetime Refill | 10K/Day", "Spotify Plays", True),
    ServiceTemplate("TikTok Followers [LR] Max 100K", "TikTok Followers", True),
    ServiceTemplate("YouTube Subscribers | Non drop + lifetime", "YouTube Subscribers", True),
    ServiceTemplate("Instagram Likes [No Refill] | Instant", "Instagram Likes", False),
    ServiceTemplate("Twitter Followers NR | Cheapest", "Twitter Followers", False),
    ServiceTemplate("Instagram Views No Refill ❌ | Max 50K", "Instagram Views", False),
    ServiceTemplate("Instagram Story Views | Instant", "Instagram Views", False),
    ServiceTemplate("YouTube Likes [R90] | 6H start", "YouTube Likes", True),
    ServiceTemplate("Instagram Followers [Refill: 365 Days]", "Instagram Followers", True),
    ServiceTemplate("TikTok Views | 0-1h start | 10K/Day", "TikTok Views", False),
    ServiceTemplate("Telegram Post Views [Last 5 Posts] | Instant", "Telegram Views", False),
    ServiceTemplate("Instagram Reels Views | R30 | 1M/Day", "Instagram Views", True),
    ServiceTemplate("Twitter Likes [R 30] | Max 20K", "Twitter Likes", True),
    ServiceTemplate("Facebook Followers | 30 days refill ♻️", "Facebook Followers", True),
    ServiceTemplate("Threads Followers [30D Refill] | 6H start", "Threads Followers", True),
    ServiceTemplate(
        "Instagram Comments [Custom] NR", "Instagram Comments", False, "Custom Comments"
    ),
    ServiceTemplate("TikTok Shares | No refill | Max 50K", "TikTok Shares", False),
    ServiceTemplate("YouTube Watch Time 4000H [R30]", "YouTube Watch Time", True),
    ServiceTemplate("LinkedIn Followers | Guarantee 60 days", "LinkedIn Followers", True),
    ServiceTemplate("Twitch Followers G60 | 0-1h start", "Twitch Followers", True),
    ServiceTemplate("Discord Members | Lifetime | 2K/Day", "Discord Members", True),
    ServiceTemplate("SoundCloud Plays [LR] | Max 10M", "SoundCloud Plays", True),
    ServiceTemplate("Telegram Reactions 👍 | No Refill ❌", "Telegram Reactions", False),
    ServiceTemplate("Instagram Saves | Max 50K", "Instagram Saves", False),
    ServiceTemplate("YouTube Shorts Likes | Refill 30D", "YouTube Likes", True),
    ServiceTemplate("Instagram Followers [Real] | ♻️ 30 days | 2K/Day", "Instagram Followers", True),
    ServiceTemplate("TikTok Live Viewers [15 Min] NR", "TikTok Live", False),
    ServiceTemplate("Pinterest Followers [R30] | 0-1h start", "Pinterest Followers", True),
    ServiceTemplate("Reddit Upvotes | No refill | Instant", "Reddit Upvotes", False),
    ServiceTemplate("Kick Followers | Non drop + lifetime | Max 50K", "Kick Followers", True),
    ServiceTemplate("Instagram Followers [LR] [Non Drop] | 10K/Day", "Instagram Followers", True),
)

# The category's platform decides what an order's link looks like.
LINK_FORMATS: dict[str, str] = {
    "Instagram": "https://www.instagram.com/{handle}/",
    "TikTok": "https://www.tiktok.com/@{handle}/video/{number}",
    "YouTube": "https://www.youtube.com/watch?v={token}",
    "Telegram": "https://t.me/{handle}",
    "Facebook": "https://www.facebook.com/{handle}",
    "Spotify": "https://open.spotify.com/track/{token}",
    "Twitter": "https://x.com/{handle}",
    "Threads": "https://www.threads.net/@{handle}",
    "LinkedIn": "https://www.linkedin.com/company/{handle}",
    "Twitch": "https://www.twitch.tv/{handle}",
    "Discord": "https://discord.gg/{token}",
    "SoundCloud": "https://soundcloud.com/{handle}/track-{number}",
    "Pinterest": "https://www.pinterest.com/{handle}/",
    "Reddit": "https://www.reddit.com/r/{handle}/comments/{token}",
    "Kick": "https://kick.com/{handle}",
}

USERNAMES: tuple[str, ...] = (
    "anna_k", "mehmet34", "rahul.smm", "joao_growth", "lena.v", "ahmed_store", "kiki_beauty",
    "dmitry88", "sofia.mkt", "budi_shop", "carlos_ads", "nguyen.tr", "fatima_z", "olga_promo",
    "emre.media", "priya_b", "lucas.br", "hassan_eg", "maria_g", "yusuf.tr", "chen_wei",
    "amira.reels", "ivan_petrov", "gabriel.sp", "nadia_k", "tomasz.pl", "ayesha_pk",
    "kevin.ng", "isabella_mx", "omar_dxb",
)  # fmt: skip

EMAIL_DOMAINS: tuple[str, ...] = ("gmail.com", "yahoo.com", "outlook.com", "mail.ru", "icloud.com")

PROVIDER_NAMES: tuple[str, ...] = (
    "growlane", "smmvertex", "followhub", "boostcraft", "panelbridge",
)  # fmt: skip


# Customer ticket openings. `{order}` is an order of the ticket's user whose
# status fits the request (`wants`); `{other}` a second one.
class TicketTemplate(NamedTuple):
    language: str
    subject: str
    message: str
    wants: str  # "refill", "cancel", "speed_up" or "other"


TICKET_TEMPLATES: tuple[TicketTemplate, ...] = (
    TicketTemplate("en", "Refill", "Hi, my order {order} dropped a lot, please refill it", "refill"),
    TicketTemplate(
        "es", "Orden", "Hola, el pedido {order} no ha empezado todavía, ¿pueden acelerarlo?",
        "speed_up",
    ),
    TicketTemplate("ru", "Отмена", "Здравствуйте, отмените заказ {order}, пожалуйста", "cancel"),
    TicketTemplate(
        "pt", "Refil", "Olá, meu pedido {order} perdeu seguidores, podem fazer refil?", "refill"
    ),
    TicketTemplate(
        "tr", "Telafi", "Merhaba, {order} numaralı siparişim düştü, telafi yapar mısınız?", "refill"
    ),
    TicketTemplate("ar", "تعويض", "السلام عليكم، الطلب {order} نقص، أرجو التعويض", "refill"),
    TicketTemplate(
        "hi-Latn", "Speed up", "bhai order {order} abhi tak start nahi hua, speed up karo",
        "speed_up",
    ),
    TicketTemplate("id", "Cancel", "Halo kak, tolong cancel pesanan {order} ya", "cancel"),
    TicketTemplate("en", "Orders", "refill {order}, cancel {other} please", "refill"),
    TicketTemplate(
        "en", "Payment", "I paid 25 USD by USDT an hour ago and my balance is still 0", "other"
    ),
)  # fmt: skip

STAFF_REPLIES: tuple[str, ...] = (
    "Hello! We have forwarded your request to the provider, please wait up to 24 hours.",
    "Hi, your request is being processed.",
    "Done, please check your order.",
)
