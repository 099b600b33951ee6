"""Demo news for the portal: original articles with drawn pictures.

Seven articles of provincial mass-mobilization news (our own writing),
spread over the news sections created by `portal.0002_site_root`, each with
a picture drawn here with Pillow (no photographs from elsewhere), its
alternative text and caption, tags and a publication date over the last
weeks. One reports the six-month briefing of the Mekong Delta cluster with
each member province's results, one is a "Dân vận khéo" model story, one
comes from a newspaper (`source`).

Idempotent: an article whose slug exists in its section is kept as it is.
`load_portal` returns the demo articles (created now or found), so that
other demo loaders can attach what belongs to them (e.g. reader feedback).
"""

import datetime
import io
import math
import random
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from danvan.portal.models import ArticlePage, HomePage, SectionPage

WIDTH, HEIGHT = 1200, 675


@dataclass(frozen=True)
class ArticleSpec:
    """One demo article; `days_ago` dates its publication."""

    section_slug: str
    slug: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    picture: str  # the drawing: "cluster", "river", "meeting", "road", "field", "notice", "market"
    alt: str
    caption: str
    tags: tuple[str, ...]
    days_ago: int
    author: str = ""
    source: str = ""
    body_picture: tuple[str, str, str] | None = None  # (drawing, alt, caption)
    extra: dict[str, Any] = field(default_factory=dict)


CLUSTER_RESULTS: Final = (
    # (province, "Dân vận khéo" models recognised, petitions answered on time %,
    # meetings with citizens)
    ("Đồng Tháp", 214, 96.4, 1180),
    ("An Giang", 236, 95.1, 1320),
    ("Cần Thơ", 158, 97.2, 860),
    ("Vĩnh Long", 201, 94.8, 1045),
    ("Cà Mau", 142, 93.6, 770),
    ("Tây Ninh", 187, 95.9, 990),
)

ARTICLES: Final[tuple[ArticleSpec, ...]] = (
    ArticleSpec(
        section_slug="cong-tac-dan-van",
        slug="cum-thi-dua-dbscl-so-ket-6-thang",
        title=(
            "Cụm thi đua các tỉnh Đồng bằng sông Cửu Long sơ kết công tác dân vận 6 tháng đầu năm"
        ),
        lead=(
            "Sáu tỉnh, thành phố trong Cụm thi đua công tác dân vận Đồng bằng sông Cửu Long "
            "cùng nhìn lại nửa năm đầu tiên vận hành chính quyền địa phương hai cấp: hơn "
            "một nghìn mô hình “Dân vận khéo” được công nhận, tỷ lệ phản ánh, kiến nghị "
            "được trả lời đúng hạn đều trên 93%."
        ),
        paragraphs=(
            "Hội nghị sơ kết do Ban Dân vận Tỉnh ủy Đồng Tháp, đơn vị Trưởng cụm năm nay, "
            "chủ trì tại phường Mỹ Tho. Dự hội nghị có lãnh đạo Ban Dân vận các tỉnh, thành "
            "ủy Đồng Tháp, An Giang, Cần Thơ, Vĩnh Long, Cà Mau và Tây Ninh cùng đại diện "
            "Ban Dân vận Trung ương.",
            "Báo cáo của Cụm cho thấy các địa phương đã kịp thời kiện toàn bộ phận dân vận ở "
            "xã, phường mới sau sắp xếp; 100% xã, phường tổ chức đối thoại giữa người đứng "
            "đầu cấp ủy, chính quyền với nhân dân ít nhất một lần. Kết quả nổi bật của từng "
            "địa phương trong 6 tháng:",
            "Đồng Tháp công nhận 214 mô hình “Dân vận khéo”, trả lời đúng hạn 96,4% phản ánh, "
            "kiến nghị; An Giang dẫn đầu về số mô hình với 236 mô hình và 1.320 cuộc tiếp xúc, "
            "đối thoại; Cần Thơ có tỷ lệ trả lời đúng hạn cao nhất cụm, 97,2%; Vĩnh Long công "
            "nhận 201 mô hình; Tây Ninh đạt 95,9% và Cà Mau đạt 93,6% dù địa bàn rộng, nhiều "
            "xã ven biển.",
            "Hội nghị chỉ ra những việc còn chậm: một số xã mới chưa bố trí đủ cán bộ theo dõi "
            "công tác dân vận chính quyền, việc số hóa hồ sơ tiếp công dân chưa đồng đều. Các "
            "tỉnh thống nhất trong 6 tháng cuối năm tập trung hướng dẫn thực hiện dân chủ ở "
            "cơ sở tại xã, phường mới, nhân rộng mô hình hay về chuyển đổi số và giữ vững tỷ "
            "lệ trả lời đúng hạn trên 95%.",
            "Dịp này, Cụm thi đua bình chọn 12 tập thể, 18 cá nhân tiêu biểu để đề nghị Ban "
            "Dân vận Trung ương tặng Bằng khen.",
        ),
        picture="cluster",
        alt=(
            "Biểu đồ cột so sánh số mô hình Dân vận khéo được công nhận của sáu tỉnh, thành phố "
            "trong Cụm thi đua: An Giang cao nhất, tiếp theo là Đồng Tháp, Vĩnh Long, Tây Ninh, "
            "Cần Thơ và Cà Mau."
        ),
        caption=(
            "Số mô hình “Dân vận khéo” được công nhận trong 6 tháng đầu năm của các tỉnh, "
            "thành phố trong Cụm."
        ),
        tags=("Cụm thi đua", "Sơ kết 6 tháng", "Dân vận khéo"),
        days_ago=2,
        author="Minh Khang",
    ),
    ArticleSpec(
        section_slug="dan-van-kheo",
        slug="to-tu-quan-thap-sang-duong-que",
        title="“Tổ tự quản thắp sáng đường quê”: khi người dân cùng bàn, cùng làm",
        lead=(
            "Không chờ ngân sách, bà con ấp Tân Hòa đã góp tiền, góp công lắp 3 km đèn năng "
            "lượng mặt trời dọc đường ven kênh. Mô hình do Chi hội Phụ nữ ấp khởi xướng vừa "
            "được công nhận “Dân vận khéo” cấp tỉnh."
        ),
        paragraphs=(
            "Con đường ven kênh Tân Hòa trước đây tối om sau 6 giờ chiều, học sinh đi học thêm "
            "về muộn phải đi thành tốp. Tại một buổi sinh hoạt chi hội, chị em phụ nữ đề xuất "
            "lắp đèn; ban nhân dân ấp đưa ra họp dân để cả ấp cùng bàn.",
            "Sau hai buổi họp, 146 hộ thống nhất mức đóng góp tự nguyện, hộ khó khăn được "
            "miễn; thanh niên nhận phần đào móng, dựng trụ; một doanh nghiệp trên địa bàn tặng "
            "thêm 40 bộ đèn. Mọi khoản thu chi được niêm yết tại nhà văn hóa ấp và báo cáo "
            "công khai mỗi tháng.",
            "Sau bốn tháng, 120 trụ đèn đã sáng. Tổ tự quản gồm 7 thành viên thay phiên kiểm "
            "tra, thay bóng hỏng bằng quỹ duy tu do bà con tiếp tục góp mỗi năm một lần.",
            "“Cái khéo ở đây là để dân tự quyết từ đầu: lắp ở đâu, góp bao nhiêu, ai giữ "
            "tiền”, Trưởng ban Dân vận Đảng ủy xã chia sẻ. Xã đang hướng dẫn ba ấp khác học "
            "theo cách làm này.",
        ),
        picture="road",
        alt=(
            "Tranh vẽ con đường ven kênh lúc chạng vạng, hai bên là hàng trụ đèn năng lượng "
            "mặt trời đang sáng và hàng dừa nước."
        ),
        caption=(
            "Tuyến đường ven kênh ấp Tân Hòa sáng đèn nhờ bà con cùng góp sức (tranh minh họa)."
        ),
        tags=("Dân vận khéo", "Tự quản", "Phụ nữ"),
        days_ago=5,
        author="Ngọc Trâm",
        body_picture=(
            "meeting",
            "Tranh vẽ buổi họp dân trong nhà văn hóa ấp, nhiều người ngồi quanh bàn dài, một "
            "người đứng trình bày trước bảng.",
            "Bà con ấp Tân Hòa họp bàn mức đóng góp lắp đèn (tranh minh họa).",
        ),
    ),
    ArticleSpec(
        section_slug="dan-chu-o-co-so",
        slug="doi-thoai-quy-hoach-khu-dan-cu-ven-song",
        title="Phường tổ chức đối thoại về quy hoạch khu dân cư ven sông",
        lead=(
            "Hơn 200 hộ dân trong vùng quy hoạch được nghe giải thích trực tiếp về phương án "
            "bồi thường, tái định cư và được ghi nhận 37 ý kiến trước khi phường trình phương "
            "án lên tỉnh."
        ),
        paragraphs=(
            "Thực hiện Luật Thực hiện dân chủ ở cơ sở, Ủy ban nhân dân phường tổ chức hội nghị "
            "đối thoại với các hộ dân có đất trong dự án chỉnh trang khu dân cư ven sông. Dự "
            "thảo phương án được niêm yết tại trụ sở khu phố 30 ngày trước buổi đối thoại.",
            "Người dân tập trung hỏi về giá bồi thường cây trồng, vị trí khu tái định cư và "
            "thời gian bàn giao mặt bằng. Lãnh đạo phường trả lời tại chỗ 29 ý kiến; 8 ý kiến "
            "vượt thẩm quyền được tổng hợp gửi các sở, ngành và hẹn trả lời bằng văn bản trong "
            "15 ngày.",
            "Mặt trận Tổ quốc phường cử đại diện giám sát việc tiếp thu ý kiến; biên bản đối "
            "thoại được công khai trên bảng tin khu phố và trên cổng thông tin.",
        ),
        picture="river",
        alt=(
            "Tranh vẽ dãy nhà thấp bên bờ sông, thuyền nhỏ trên mặt nước và hàng cây xanh phía xa."
        ),
        caption="Khu dân cư ven sông trong vùng dự án chỉnh trang (tranh minh họa).",
        tags=("Dân chủ ở cơ sở", "Đối thoại", "Quy hoạch"),
        days_ago=8,
        author="Hữu Phước",
    ),
    ArticleSpec(
        section_slug="cong-tac-dan-van",
        slug="dan-van-chinh-quyen-xa-moi",
        title="Nâng chất công tác dân vận chính quyền ở xã, phường mới sau sắp xếp",
        lead=(
            "Bộ phận một cửa của các xã mới được bố trí thêm điểm tiếp nhận lưu động ở những "
            "ấp xa trung tâm, giúp người dân không phải đi hàng chục cây số để làm thủ tục."
        ),
        paragraphs=(
            "Sau sắp xếp đơn vị hành chính, nhiều xã có diện tích gấp đôi, gấp ba trước đây. "
            "Để việc phục vụ người dân không bị gián đoạn, Ban Dân vận Tỉnh ủy phối hợp Ủy "
            "ban nhân dân tỉnh hướng dẫn các xã tổ chức điểm tiếp nhận hồ sơ lưu động theo "
            "lịch cố định hằng tuần.",
            "Cán bộ một cửa mang theo máy tính, máy quét, hướng dẫn bà con nộp hồ sơ trực "
            "tuyến ngay tại nhà văn hóa ấp. Sau ba tháng, hơn 4.600 hồ sơ đã được tiếp nhận "
            "theo cách này, phần lớn là chứng thực, đăng ký hộ tịch và xác nhận tình trạng "
            "nhà ở.",
            "Tỉnh đặt mục tiêu đến cuối năm mỗi xã có ít nhất một tổ công nghệ số cộng đồng "
            "hỗ trợ người cao tuổi, người khuyết tật thực hiện dịch vụ công trực tuyến.",
        ),
        picture="market",
        alt=(
            "Tranh vẽ bàn tiếp nhận hồ sơ đặt dưới mái hiên nhà văn hóa, cán bộ ngồi sau máy "
            "tính, người dân xếp hàng phía trước."
        ),
        caption="Điểm tiếp nhận hồ sơ lưu động tại nhà văn hóa ấp (tranh minh họa).",
        tags=("Dân vận chính quyền", "Chuyển đổi số", "Một cửa"),
        days_ago=12,
        author="Thanh Tùng",
        source="Báo Đồng Tháp",
    ),
    ArticleSpec(
        section_slug="dan-van-kheo",
        slug="nong-dan-lien-ket-lua-sach",
        title="Nông dân liên kết trồng lúa giảm phát thải, thu nhập tăng",
        lead=(
            "Từ 12 hộ ban đầu, tổ hợp tác lúa giảm phát thải đã có 68 hộ với 240 ha; chi hội "
            "nông dân làm cầu nối giữa bà con, doanh nghiệp thu mua và cán bộ kỹ thuật."
        ),
        paragraphs=(
            "Chi hội Nông dân ấp vận động bà con áp dụng quy trình tưới ướt khô xen kẽ, giảm "
            "lượng giống và phân bón. Mỗi vụ, chi hội mời cán bộ khuyến nông xuống đồng hướng "
            "dẫn, ghi chép nhật ký sản xuất cho từng hộ.",
            "Chi phí sản xuất giảm khoảng 3 triệu đồng mỗi héc-ta, lúa được doanh nghiệp bao "
            "tiêu với giá cao hơn thị trường 200 đồng mỗi ký. Mô hình được Ban Dân vận huyện "
            "cũ đánh giá cao và nay được xã mới chọn nhân rộng.",
        ),
        picture="field",
        alt=(
            "Tranh vẽ cánh đồng lúa xanh chia ô, bờ ruộng thẳng hàng, mặt trời buổi sáng "
            "phía chân trời."
        ),
        caption="Cánh đồng lúa giảm phát thải của tổ hợp tác (tranh minh họa).",
        tags=("Dân vận khéo", "Nông dân", "Nông nghiệp xanh"),
        days_ago=16,
        author="Kim Ngân",
    ),
    ArticleSpec(
        section_slug="thong-bao",
        slug="lich-tiep-cong-dan-thang-nay",
        title="Thông báo lịch tiếp công dân định kỳ của lãnh đạo tỉnh trong tháng",
        lead=(
            "Lãnh đạo tỉnh tiếp công dân định kỳ vào ngày 15 hằng tháng tại Trụ sở Tiếp công "
            "dân tỉnh; người dân có thể đăng ký trước qua cổng thông tin."
        ),
        paragraphs=(
            "Thực hiện Luật Tiếp công dân năm 2013, Chủ tịch Ủy ban nhân dân tỉnh tiếp công "
            "dân định kỳ ít nhất một ngày trong tháng. Trường hợp ngày 15 trùng ngày nghỉ, "
            "lịch tiếp được chuyển sang ngày làm việc kế tiếp.",
            "Công dân đến trình bày cần mang theo giấy tờ tùy thân và tài liệu liên quan; "
            "trường hợp nhiều người cùng nội dung thì cử đại diện. Lịch tiếp cụ thể của từng "
            "xã, phường được đăng tại mục Lịch tiếp công dân.",
        ),
        picture="notice",
        alt="Hình minh họa tờ lịch với ngày 15 được khoanh tròn màu đỏ.",
        caption="Lãnh đạo tỉnh tiếp công dân định kỳ vào ngày 15 hằng tháng.",
        tags=("Tiếp công dân", "Thông báo"),
        days_ago=20,
    ),
    ArticleSpec(
        section_slug="dan-chu-o-co-so",
        slug="cong-khai-thu-chi-quy-xay-dung-cau",
        title="Công khai từng khoản thu chi khi dân góp tiền làm cầu",
        lead=(
            "Ban giám sát đầu tư của cộng đồng theo dõi từ khâu chọn nhà thầu đến nghiệm thu "
            "cây cầu bê tông 18 mét do bà con hai ấp cùng góp vốn xây dựng."
        ),
        paragraphs=(
            "Cây cầu khỉ cũ bắc qua rạch nối hai ấp được thay bằng cầu bê tông rộng 2,5 mét. "
            "Tổng kinh phí gần 900 triệu đồng, trong đó người dân đóng góp một phần ba.",
            "Ngay từ đầu, ban vận động thống nhất công khai mọi khoản thu chi trên bảng tin và "
            "nhóm trò chuyện của ấp. Ban giám sát đầu tư của cộng đồng gồm 5 người do dân bầu, "
            "tham gia nghiệm thu từng hạng mục.",
            "“Biết rõ tiền mình góp đi đâu thì bà con yên tâm, góp thêm cả ngày công”, một "
            "thành viên ban giám sát nói.",
        ),
        picture="river",
        alt="Tranh vẽ cây cầu bê tông nhỏ bắc qua con rạch, hai bên bờ có hàng dừa.",
        caption="Cây cầu mới nối hai ấp (tranh minh họa).",
        tags=("Dân chủ ở cơ sở", "Giám sát cộng đồng"),
        days_ago=26,
        author="Hữu Phước",
    ),
)


# --- Pictures -----------------------------------------------------------------------------


def _gradient(
    draw: ImageDraw.ImageDraw, top: tuple[int, int, int], bottom: tuple[int, int, int], height: int
) -> None:
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _sun(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, colour: tuple[int, int, int]) -> None:
    draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)


def _palm(draw: ImageDraw.ImageDraw, x: int, ground: int, height: int, rng: random.Random) -> None:
    draw.line(
        [(x, ground), (x + rng.randint(-12, 12), ground - height)], fill=(92, 64, 40), width=8
    )
    top = (x, ground - height)
    for angle in range(0, 360, 45):
        rad = math.radians(angle + rng.randint(-10, 10))
        end = (top[0] + int(70 * math.cos(rad)), top[1] + int(35 * math.sin(rad)) + 10)
        draw.line([top, end], fill=(34, 110, 52), width=9)


def _person(draw: ImageDraw.ImageDraw, x: int, y: int, colour: tuple[int, int, int]) -> None:
    draw.ellipse([x - 14, y - 60, x + 14, y - 32], fill=(230, 190, 150))
    draw.rounded_rectangle([x - 22, y - 30, x + 22, y + 30], radius=10, fill=colour)


def draw_picture(kind: str, seed: int) -> bytes:
    """Return a JPEG drawing of `kind` (see `ArticleSpec.picture`)."""
    rng = random.Random(seed)  # noqa: S311 (a drawing, not a secret)
    picture = PILImage.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    if kind == "cluster":
        draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(251, 244, 232))
        draw.rectangle([0, 0, WIDTH, 70], fill=(163, 21, 15))
        left, base, top = 110, 600, 130
        best = max(row[1] for row in CLUSTER_RESULTS)
        width = (WIDTH - 2 * left) // len(CLUSTER_RESULTS)
        colours = [
            (163, 21, 15),
            (196, 98, 16),
            (30, 107, 50),
            (0, 95, 204),
            (125, 15, 10),
            (138, 82, 0),
        ]
        draw.line([(left - 20, base), (WIDTH - left + 20, base)], fill=(29, 29, 31), width=4)
        for index, (_name, models, _on_time, _meetings) in enumerate(CLUSTER_RESULTS):
            h = int((base - top) * models / best)
            x = left + index * width + 25
            draw.rectangle([x, base - h, x + width - 50, base], fill=colours[index])
            draw.rectangle([x, base - h, x + width - 50, base - h + 12], fill=(246, 211, 107))
        for y in range(base - 100, top - 1, -100):
            draw.line([(left - 20, y), (WIDTH - left + 20, y)], fill=(217, 212, 203), width=2)
    elif kind in ("river", "road", "field"):
        evening = kind == "road"
        sky_top, sky_bottom = (
            ((36, 42, 92), (238, 145, 90)) if evening else ((120, 180, 230), (214, 236, 250))
        )
        horizon = 300 if kind != "field" else 260
        _gradient(draw, sky_top, sky_bottom, horizon)
        _sun(
            draw,
            rng.randint(800, 1050),
            horizon - 60,
            55,
            (255, 214, 110) if not evening else (255, 170, 90),
        )
        draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(76, 140, 70))
        if kind == "field":
            for row in range(8):
                y = horizon + row * 55
                draw.line([(0, y), (WIDTH, y + 20)], fill=(52, 110, 50), width=4)
            for col in range(-4, 14):
                draw.line(
                    [(WIDTH // 2, horizon), (col * 120, HEIGHT)], fill=(58, 120, 52), width=3
                )
        else:
            river = [(0, 470), (WIDTH, 430), (WIDTH, 560), (0, 600)]
            draw.polygon(river, fill=(70, 120, 160) if not evening else (60, 70, 120))
            for x in range(40, WIDTH, 140):
                _palm(draw, x + rng.randint(-20, 20), horizon + 60, rng.randint(120, 170), rng)
            if kind == "river":
                for x in range(150, 1100, 230):
                    draw.rectangle([x, horizon + 20, x + 150, horizon + 110], fill=(236, 224, 200))
                    draw.polygon(
                        [(x - 15, horizon + 20), (x + 75, horizon - 30), (x + 165, horizon + 20)],
                        fill=(163, 60, 40),
                    )
                draw.polygon([(500, 520), (640, 515), (610, 545), (525, 548)], fill=(92, 64, 40))
                draw.rectangle([430, 455, 770, 470], fill=(180, 180, 175))
            else:
                draw.rectangle([0, 600, WIDTH, HEIGHT], fill=(120, 110, 100))
                for x in range(60, WIDTH, 150):
                    draw.line([(x, 600), (x, 380)], fill=(60, 60, 60), width=6)
                    draw.rectangle([x - 30, 370, x + 30, 382], fill=(40, 40, 60))
                    draw.ellipse([x - 60, 380, x + 60, 470], fill=(255, 236, 150))
                    draw.ellipse([x - 30, 384, x + 30, 420], fill=(255, 250, 210))
    elif kind in ("meeting", "market"):
        draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(246, 238, 222))
        draw.rectangle([0, 520, WIDTH, HEIGHT], fill=(196, 164, 120))
        if kind == "meeting":
            draw.rectangle([80, 80, 480, 330], fill=(40, 80, 60))
            for y in range(130, 300, 40):
                draw.line([(120, y), (440, y)], fill=(220, 220, 210), width=4)
            _person(draw, 560, 420, (163, 21, 15))
            draw.rectangle([300, 470, 1120, 510], fill=(120, 80, 50))
            for x in range(340, 1100, 110):
                _person(
                    draw,
                    x,
                    470,
                    rng.choice([(0, 95, 204), (30, 107, 50), (138, 82, 0), (90, 90, 120)]),
                )
        else:
            draw.polygon([(0, 0), (WIDTH, 0), (WIDTH, 120), (0, 170)], fill=(163, 21, 15))
            draw.rectangle([360, 360, 840, 420], fill=(120, 80, 50))
            draw.rectangle([520, 290, 680, 360], fill=(40, 40, 50))
            draw.rectangle([532, 300, 668, 350], fill=(120, 180, 230))
            _person(draw, 600, 360, (0, 95, 204))
            for index, x in enumerate(range(180, 1100, 170)):
                if 420 < x < 780:
                    continue
                _person(
                    draw,
                    x,
                    560,
                    [(30, 107, 50), (138, 82, 0), (163, 21, 15), (90, 90, 120)][index % 4],
                )
    else:  # notice: a calendar page
        draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(251, 244, 232))
        draw.rounded_rectangle(
            [330, 80, 870, 600], radius=24, fill=(255, 255, 255), outline=(29, 29, 31), width=4
        )
        draw.rectangle([332, 82, 868, 180], fill=(163, 21, 15))
        for row in range(5):
            for col in range(7):
                x, y = 370 + col * 70, 215 + row * 75
                draw.rectangle([x, y, x + 44, y + 40], fill=(217, 212, 203))
        x, y = 370 + 0 * 70, 215 + 2 * 75
        draw.ellipse([x - 18, y - 18, x + 62, y + 58], outline=(163, 21, 15), width=8)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def _image(kind: str, title: str, seed: int) -> Any:
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = draw_picture(kind, seed)
    image = Image(title=title, description=title)
    image.file = ImageFile(io.BytesIO(data), name=f"demo-{kind}-{seed}.jpg")
    image.save()
    return image


# --- Loading ------------------------------------------------------------------------------


def load_portal(report: Any = None, *, now: datetime.datetime | None = None) -> list[ArticlePage]:
    """Create the demo articles that are missing; return every demo article.

    `report` (a `loader.DemoReport`) counts what was created and found.
    Needs the sections of `portal.0002_site_root`: the articles of a missing
    section are left out.
    """
    now = now or timezone.now()
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return []
    sections = {s.slug: s for s in SectionPage.objects.child_of(home)}
    articles: list[ArticlePage] = []
    for number, spec in enumerate(ARTICLES, start=1):
        section = sections.get(spec.section_slug)
        if section is None:
            continue
        existing = ArticlePage.objects.child_of(section).filter(slug=spec.slug).first()
        if existing is not None:
            articles.append(existing.specific)
            if report is not None:
                report.count("articles", created=False)
            continue
        with transaction.atomic():
            articles.append(_create_article(section, spec, number, now))
        if report is not None:
            report.count("articles", created=True)
    return articles


def _create_article(
    section: SectionPage, spec: ArticleSpec, number: int, now: datetime.datetime
) -> ArticlePage:
    published = (now - datetime.timedelta(days=spec.days_ago)).replace(
        hour=7 + number % 4, minute=(number * 13) % 60, second=0, microsecond=0
    )
    body: list[tuple[str, Any]] = []
    for index, paragraph in enumerate(spec.paragraphs):
        body.append(("paragraph", RichText(f"<p>{paragraph}</p>")))
        if spec.body_picture and index == 1:
            kind, alt, caption = spec.body_picture
            picture = _image(kind, caption, number * 100 + 1)
            picture.contextual_alt_text = alt  # what ImageBlock stores beside the picture
            picture.decorative = False
            body.append(("image", {"image": picture, "caption": caption}))
    article = ArticlePage(
        title=spec.title,
        slug=spec.slug,
        lead=spec.lead,
        image=_image(spec.picture, spec.caption, number),
        image_alt=spec.alt,
        image_caption=spec.caption,
        author=spec.author,
        source=spec.source,
        first_published_at=published,
    )
    article.body = body
    section.add_child(instance=article)
    article.tags.add(*spec.tags)
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=published, last_published_at=published
    )
    article.refresh_from_db()
    return article
